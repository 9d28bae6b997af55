import { Inject, Injectable } from '@nestjs/common';
import { businessDayOf } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { checkedRange, DayRange } from '../reconciliation/reconciliation-range';
import { RECOUNT_DIFFERENCES, RECOUNT_MEASURES, RECOUNT_PERIOD_DIFFERENCES, RECOUNT_PERIOD_TOTAL_DIFFERENCES } from './recount.sql';

/** The days the daily recount covers, today included: a late refund or expiry lands on recent days. */
export const RECOUNT_DAYS = 7;
/** Most differing keys listed; the count is always the full one. */
const LISTED = 100;

interface DifferenceRow {
  day: string;
  campaign_id: string | null;
  voucher_type_id: string | null;
  district: string;
  category: string;
  counted: string[];
  kept: string[];
  counted_parties: string[];
  kept_parties: string[];
  total: string;
}

export interface RecountDifference {
  day: string;
  campaignId: string | null;
  voucherTypeId: string | null;
  district: string;
  category: string;
  /** Each measure that differs: what the raw tables say, what the running totals hold. */
  figures: Record<string, { counted: number; kept: number }>;
}

interface PeriodDifferenceRow {
  period: string;
  period_start: string;
  dimension: string;
  district: string;
  campaign_id: string;
  voucher_type_id: string;
  category: string;
  counted: string[];
  kept: string[];
  total: string;
}

/** A stored distinct count of a closed period (figures_party_counts) that the raw redemptions do not bear out; ids are database ids, '' or 0 summed away. */
export interface PeriodCountDifference {
  period: string;
  periodStart: string;
  dimension: string;
  district: string;
  campaignId: string;
  voucherTypeId: string;
  category: string;
  counted: { residents: number; merchants: number };
  kept: { residents: number; merchants: number };
}

/** A stored additive total of a closed period (figures_period_totals) that its days' running totals do not bear out; ids are database ids, '' or 0 summed away. */
export interface PeriodTotalDifference {
  period: string;
  periodStart: string;
  dimension: string;
  district: string;
  campaignId: string;
  voucherTypeId: string;
  category: string;
  /** Each measure that differs: its days' running totals summed again, and what is stored. */
  figures: Record<string, { counted: number; kept: number }>;
}

export interface RecountReport extends DayRange {
  /** Keys (day, campaign, voucher type, district, category) whose running totals differ from the recount, plus periodMismatches. */
  mismatches: number;
  differences: RecountDifference[];
  /** Stored rows of closed periods within the range that differ from the recount (or are on one side only): party counts and additive totals. */
  periodMismatches: number;
  periodDifferences: PeriodCountDifference[];
  periodTotalDifferences: PeriodTotalDifference[];
}

const partiesOf = ([residents, merchants]: string[]) => ({ residents: Number(residents), merchants: Number(merchants) });

/** A stored period row's key, as the period recounts answer it. */
function periodKeyOf(row: PeriodDifferenceRow) {
  return {
    period: row.period,
    periodStart: row.period_start,
    dimension: row.dimension,
    district: row.district,
    campaignId: row.campaign_id,
    voucherTypeId: row.voucher_type_id,
    category: row.category,
  };
}

function periodDifferenceOf(row: PeriodDifferenceRow): PeriodCountDifference {
  return { ...periodKeyOf(row), counted: partiesOf(row.counted), kept: partiesOf(row.kept) };
}

const PARTY_MEASURES = ['residents', 'merchants'];

type Compared = Record<string, { counted: number; kept: number }>;

/** Adds to `figures` each of `names` whose counted and kept values differ. */
function compare(figures: Compared, names: readonly string[], counted: string[], kept: string[]): Compared {
  names.forEach((name, index) => {
    if (counted[index] !== kept[index]) figures[name] = { counted: Number(counted[index]), kept: Number(kept[index]) };
  });
  return figures;
}

function differenceOf(row: DifferenceRow): RecountDifference {
  const figures = compare(compare({}, RECOUNT_MEASURES, row.counted, row.kept), PARTY_MEASURES, row.counted_parties, row.kept_parties);
  return { day: row.day, campaignId: row.campaign_id, voucherTypeId: row.voucher_type_id, district: row.district, category: row.category, figures };
}

function periodTotalDifferenceOf(row: PeriodDifferenceRow): PeriodTotalDifference {
  return { ...periodKeyOf(row), figures: compare({}, RECOUNT_MEASURES, row.counted, row.kept) };
}

/**
 * Counts the figures of recent business days again from the raw tables, by reconciliation's
 * rules, and compares them with the running totals the triggers keep, the stored distinct
 * party counts of the closed periods within the range (PartyCounts) and their stored additive
 * totals (PeriodTotals). Any difference means a
 * write path the triggers do not see (or a bug): the worker raises it as a metric.
 */
@Injectable()
export class FiguresRecount {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async run(range?: { from?: string; to?: string }, now = new Date()): Promise<RecountReport> {
    const to = range?.to ?? businessDayOf(now);
    const from = range?.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (RECOUNT_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const days = checkedRange(from, to);
    const rows: DifferenceRow[] = await this.db.query(RECOUNT_DIFFERENCES, [days.from, days.to, LISTED]);
    // A closed period's stored counts no longer change: a second snapshot reads them as the first would.
    const periodRows: PeriodDifferenceRow[] = await this.db.query(RECOUNT_PERIOD_DIFFERENCES, [days.from, days.to, LISTED]);
    const totalRows: PeriodDifferenceRow[] = await this.db.query(RECOUNT_PERIOD_TOTAL_DIFFERENCES, [days.from, days.to, LISTED]);
    const periodMismatches = Number(periodRows[0]?.total ?? 0) + Number(totalRows[0]?.total ?? 0);
    return {
      ...days,
      mismatches: Number(rows[0]?.total ?? 0) + periodMismatches,
      differences: rows.map(differenceOf),
      periodMismatches,
      periodDifferences: periodRows.map(periodDifferenceOf),
      periodTotalDifferences: totalRows.map(periodTotalDifferenceOf),
    };
  }
}
