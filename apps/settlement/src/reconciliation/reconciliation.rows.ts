import { fenFromColumn } from '@vouchers/common';
import { CheckName, CheckResult, Difference, FundingSource, LineFigures, ReconciliationReport, SubsidyFigures } from './reconciliation.report';

/**
 * What the statements of figures.sql.ts, ledger-check.sql.ts and settlement-check.sql.ts
 * answer, and their shaping into the report. Every row here is already an aggregate (or one
 * listed difference): nothing is added up in JavaScript.
 */

const fen = (value: string | number | null): number => fenFromColumn(value) ?? 0;

export interface VoucherRow {
  campaign_id: string | null;
  campaign_name: string | null;
  claimed: string;
  claimed_fen: string;
  expired: string;
  expired_fen: string;
}

export interface FlowRow {
  dimension: 'total' | 'campaign' | 'district' | 'category';
  campaign_id: string | null;
  campaign_name: string | null;
  district: string | null;
  category: string | null;
  redemptions: string | null;
  order_amount_fen: string | null;
  discount_fen: string | null;
  city_fen: string | null;
  district_fen: string | null;
  refunds: string | null;
  refund_amount_fen: string | null;
  reversed_fen: string | null;
  reversed_city_fen: string | null;
  reversed_district_fen: string | null;
  clawbacks: string | null;
  clawback_fen: string | null;
}

export interface LineRow {
  status: string | null;
  lines: string;
  redemptions: string;
  amount_fen: string;
  gross_fen: string;
  carried_fen: string;
  clawback_fen: string;
  city_fen: string;
  district_fen: string;
}

export interface CheckRow {
  section: 'difference' | 'funding';
  check_name: string | null;
  kind: string;
  ref_type: string | null;
  ref_id: string | null;
  posting_id: string | null;
  expected: string | null;
  actual: string | null;
  expected_reversed?: string | null;
  actual_reversed?: string | null;
  unit?: 'fen' | 'count' | null;
  total: string | null;
}

export function vouchersOf(rows: VoucherRow[]): ReconciliationReport['vouchers'] {
  const total = rows.find((row) => row.campaign_id === null);
  return {
    claimed: { count: Number(total?.claimed ?? 0), faceValueFen: fen(total?.claimed_fen ?? 0) },
    expired: { count: Number(total?.expired ?? 0), faceValueFen: fen(total?.expired_fen ?? 0) },
    byCampaign: rows
      .filter((row) => row.campaign_id !== null)
      .map((row) => ({
        campaignId: row.campaign_id as string,
        campaignName: row.campaign_name ?? '',
        claimed: { count: Number(row.claimed), faceValueFen: fen(row.claimed_fen) },
        expired: { count: Number(row.expired), faceValueFen: fen(row.expired_fen) },
      })),
  };
}

function subsidyOf(row: FlowRow | undefined): SubsidyFigures {
  const discount = fen(row?.discount_fen ?? 0);
  const reversed = fen(row?.reversed_fen ?? 0);
  return {
    redemptions: Number(row?.redemptions ?? 0),
    orderAmountFen: fen(row?.order_amount_fen ?? 0),
    discountFen: discount,
    reversedFen: reversed,
    netFen: discount - reversed,
    cityNetFen: fen(row?.city_fen ?? 0) - fen(row?.reversed_city_fen ?? 0),
    districtNetFen: fen(row?.district_fen ?? 0) - fen(row?.reversed_district_fen ?? 0),
  };
}

export function flowsOf(
  rows: FlowRow[],
  funding: FundingSource[],
): Pick<ReconciliationReport, 'redemptions' | 'refunds' | 'subsidy'> {
  const total = rows.find((row) => row.dimension === 'total');
  const of = (dimension: FlowRow['dimension']) => rows.filter((row) => row.dimension === dimension);
  return {
    redemptions: {
      count: Number(total?.redemptions ?? 0),
      orderAmountFen: fen(total?.order_amount_fen ?? 0),
      discountFen: fen(total?.discount_fen ?? 0),
      cityFen: fen(total?.city_fen ?? 0),
      districtFen: fen(total?.district_fen ?? 0),
    },
    refunds: {
      count: Number(total?.refunds ?? 0),
      refundAmountFen: fen(total?.refund_amount_fen ?? 0),
      discountReversedFen: fen(total?.reversed_fen ?? 0),
      cityFen: fen(total?.reversed_city_fen ?? 0),
      districtFen: fen(total?.reversed_district_fen ?? 0),
      clawbacks: { count: Number(total?.clawbacks ?? 0), amountFen: fen(total?.clawback_fen ?? 0) },
    },
    subsidy: {
      total: subsidyOf(total),
      byCampaign: of('campaign').map((row) => ({ campaignId: row.campaign_id as string, campaignName: row.campaign_name ?? '', ...subsidyOf(row) })),
      byDistrict: of('district').map((row) => ({ district: row.district as string, ...subsidyOf(row) })),
      byCategory: of('category').map((row) => ({ category: row.category as string, ...subsidyOf(row) })),
      byFundingSource: funding,
    },
  };
}

function lineFiguresOf(row: LineRow | undefined): LineFigures {
  return {
    lines: Number(row?.lines ?? 0),
    redemptions: Number(row?.redemptions ?? 0),
    amountFen: fen(row?.amount_fen ?? 0),
    grossFen: fen(row?.gross_fen ?? 0),
    carriedFen: fen(row?.carried_fen ?? 0),
    clawbackFen: fen(row?.clawback_fen ?? 0),
    cityFen: fen(row?.city_fen ?? 0),
    districtFen: fen(row?.district_fen ?? 0),
  };
}

export function settlementOf(rows: LineRow[], batches: ReconciliationReport['settlement']['batches']): ReconciliationReport['settlement'] {
  const lines = lineFiguresOf(rows.find((row) => row.status === null));
  const byStatus = rows.filter((row) => row.status !== null).map((row) => ({ status: row.status as string, ...lineFiguresOf(row) }));
  const amountOf = (status: string) => byStatus.find((row) => row.status === status)?.amountFen ?? 0;
  return {
    batches,
    payableFen: lines.amountFen,
    pendingFen: amountOf('pending'),
    heldFen: amountOf('held'),
    paidFen: amountOf('paid'),
    failedFen: amountOf('failed'),
    clawedBackFen: lines.clawbackFen,
    lines,
    byStatus,
  };
}

export function fundingOf(rows: CheckRow[]): FundingSource[] {
  return rows
    .filter((row) => row.section === 'funding')
    .map((row) => {
      const [redemptions, debit, reversed, credit] = [row.expected, row.actual, row.expected_reversed ?? 0, row.actual_reversed ?? 0].map(fen);
      return {
        source: row.kind,
        redemptionsFen: redemptions,
        ledgerDebitFen: debit,
        reversedFen: reversed,
        ledgerCreditFen: credit,
        differenceFen: debit - credit - (redemptions - reversed),
      };
    });
}

const CHECK_OF_SQL: Record<string, CheckName> = {
  postings: 'postings',
  redemptions: 'redemptions',
  refunds: 'refunds',
  settlement_lines: 'settlementLines',
  payments: 'payments',
};

/** The listed differences of each check, with each check's full count (the `total` every row carries). */
export function checksOf(rows: CheckRow[]): Pick<ReconciliationReport, 'checks' | 'mismatches'> {
  const empty = (): CheckResult => ({ count: 0, differences: [], truncated: false });
  const checks: Record<CheckName, CheckResult> = {
    postings: empty(),
    redemptions: empty(),
    refunds: empty(),
    settlementLines: empty(),
    payments: empty(),
  };
  for (const row of rows) {
    if (row.section !== 'difference' || row.check_name === null) continue;
    const check = checks[CHECK_OF_SQL[row.check_name]];
    const difference: Difference = {
      kind: row.kind,
      refType: row.ref_type ?? '',
      refId: row.ref_id ?? '',
      postingId: row.posting_id,
      expected: row.expected === null ? null : Number(row.expected),
      actual: row.actual === null ? null : Number(row.actual),
      unit: row.unit ?? 'fen',
    };
    check.count = Number(row.total);
    check.differences.push(difference);
  }
  for (const check of Object.values(checks)) check.truncated = check.count > check.differences.length;
  return { checks, mismatches: Object.values(checks).reduce((sum, check) => sum + check.count, 0) };
}
