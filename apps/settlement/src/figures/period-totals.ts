import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Period, PeriodKind } from './party-periods';
import { DELETE_PERIOD_TOTALS, INSERT_PERIOD_TOTALS, LOCK_TOTALS, MARK_TOTALS_STORED, STALE_PERIODS } from './period-totals.sql';

interface PeriodRow {
  period: PeriodKind;
  start: string;
  end: string;
}

/** The statements' $1 (kinds) and $2 (first days). */
const kindsAndStarts = (periods: Period[]) => [periods.map((period) => period.kind), periods.map((period) => period.start)];

/**
 * Keeps the additive totals of closed periods (figures_period_totals): a closed day, week or
 * month summed from its days' running totals once, by the close-figures job or the first read
 * that wants it (after PartyCounts has closed it), and again after an expiry landing late on
 * one of its days has marked it stale (the migration's expiry trigger). A store holds an
 * exclusive lock that the expiry trigger takes shared, so it sees every expiry that does not
 * mark its period after it; two stores of one period serialise on it too.
 */
@Injectable()
export class PeriodTotals {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Stores the totals of those of `periods` that are closed and stale (or never stored); answers how many it stored. */
  async store(periods: Period[]): Promise<number> {
    if (periods.length === 0) return 0;
    const stale: PeriodRow[] = await this.db.query(STALE_PERIODS, kindsAndStarts(periods));
    if (stale.length === 0) return 0;
    return this.db.transaction(async (manager) => {
      await manager.query(LOCK_TOTALS);
      // An UPDATE … RETURNING answers [rows, count]. Under the lock: no other store is marking them meanwhile.
      const [rows]: [PeriodRow[], number] = await manager.query(MARK_TOTALS_STORED, kindsAndStarts(periods));
      const marked: Period[] = rows.map((row) => ({ kind: row.period, start: row.start, end: row.end }));
      if (marked.length === 0) return 0;
      await manager.query(DELETE_PERIOD_TOTALS, kindsAndStarts(marked));
      await manager.query(INSERT_PERIOD_TOTALS, [...kindsAndStarts(marked), marked.map((period) => period.end)]);
      return marked.length;
    });
  }
}
