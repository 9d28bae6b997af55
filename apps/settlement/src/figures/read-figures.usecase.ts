import { Inject, Injectable } from '@nestjs/common';
import { businessDayOf } from '@vouchers/common';
import { DataSource, EntityManager } from 'typeorm';
import { READ_ONLY_WITH_WORK_MEM } from '../reconciliation/report-snapshot.sql';
import { checkedRange, DayRange } from '../reconciliation/reconciliation-range';
import { FIGURE_PARTIES, FIGURE_TOTALS, FIGURES_OF_CLOSED_PERIOD, FIGURES_WITH_STORED_PARTIES, PERIOD_TARGETS } from './figures.sql';
import { FigureRows, PartiesRow, TotalsRow } from './figures.rows';
import { LeaguePeriod } from './league-period';
import { PartyCounts } from './party-counts';
import { wholePeriod } from './party-periods';

/** Memory for the reads' grouping sets: a month of the rollup is small; the parties are the larger part. */
const FIGURES_WORK_MEM = '64MB';

export interface TargetRow {
  district: string;
  consumption_fen: string | null;
  subsidy_fen: string | null;
  redeemed: number | null;
}

export interface FiguresRead {
  range: DayRange;
  asOf: string;
  rows: FigureRows;
  targets: TargetRow[];
}

/**
 * Reads the running totals of a range of business days (default: today, so the live figures),
 * in one read-only snapshot so a claim committing between the statements cannot show in one
 * and not the other. The triggers write the totals in the claims' and redemptions' own
 * transactions: the additive figures include every commit before the read.
 *
 * A range that is one whole closed period (a day, a week from a Monday, a month) is read from
 * what is stored for it: its additive totals (PeriodTotals) and distinct parties (residents
 * and merchants taking part, PartyCounts), a few hundred rows by key whatever the period's
 * length. Today (an open day) is read from the running totals, with its parties' stored counts,
 * counted again in the background when OPEN_DAY_REFRESH_MS old, so today's parties may lag
 * that much (plus a count's time) behind its totals. Either read is one statement (one
 * snapshot, one round trip) after a check that the stored rows are there. Any other range
 * (several days, an open week or month) reads its closed days' stored totals and the running
 * totals of the rest (today), and counts its parties at read time over figures_parties, which
 * takes seconds for a month of a city.
 */
@Injectable()
export class ReadFigures {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(PartyCounts) private readonly partyCounts: PartyCounts,
  ) {}

  range(from?: string, to?: string): DayRange {
    const today = businessDayOf(new Date());
    return checkedRange(from ?? to ?? today, to ?? from ?? today);
  }

  async read(range: DayRange, targetsOf?: { period: LeaguePeriod; start: string }, now = new Date()): Promise<FiguresRead> {
    const period = wholePeriod(range);
    const stored = period === null ? null : await this.partyCounts.prepare(period, now);
    if (period !== null && stored !== null) {
      // One statement: one snapshot, taken after asOf.
      const asOf = new Date().toISOString();
      const statement = stored === 'closed' ? FIGURES_OF_CLOSED_PERIOD : FIGURES_WITH_STORED_PARTIES;
      const rows: Array<TotalsRow & PartiesRow> = await this.db.query(statement, [range.from, range.to, period.kind, period.start]);
      const targets: TargetRow[] = targetsOf ? await this.db.query(PERIOD_TARGETS, [targetsOf.period, targetsOf.start]) : [];
      return { range, asOf, rows: new FigureRows(rows, rows), targets };
    }
    return this.db.transaction('REPEATABLE READ', async (manager: EntityManager) => {
      // Before the snapshot is taken (at the first statement): every commit before asOf is in it.
      const asOf = new Date().toISOString();
      await manager.query(READ_ONLY_WITH_WORK_MEM, [FIGURES_WORK_MEM]);
      const totals: TotalsRow[] = await manager.query(FIGURE_TOTALS, [range.from, range.to]);
      const parties: PartiesRow[] = await manager.query(FIGURE_PARTIES, [range.from, range.to]);
      const targets: TargetRow[] = targetsOf ? await manager.query(PERIOD_TARGETS, [targetsOf.period, targetsOf.start]) : [];
      return { range, asOf, rows: new FigureRows(totals, parties), targets };
    });
  }
}
