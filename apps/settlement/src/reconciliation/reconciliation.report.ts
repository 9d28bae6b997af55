import { Fen } from '@vouchers/common';
import { BatchView } from '../batches/batch.view';

export interface CountAndFaceValue {
  count: number;
  faceValueFen: Fen;
}

export interface CampaignVouchers {
  campaignId: string;
  campaignName: string;
  claimed: CountAndFaceValue;
  expired: CountAndFaceValue;
}

/**
 * Subsidy of a slice of the range: the discount of its redemptions, less what refunds of the
 * range took back (whenever the redemption was); each split into the city's and the
 * district's share.
 */
export interface SubsidyFigures {
  redemptions: number;
  orderAmountFen: Fen;
  discountFen: Fen;
  reversedFen: Fen;
  netFen: Fen;
  cityNetFen: Fen;
  districtNetFen: Fen;
}

/**
 * One funding source (city, all districts, or one district's budget): the subsidy the rows
 * say it paid against the budget legs the ledger holds for the same rows.
 */
export interface FundingSource {
  source: string;
  /** City or district share of the range's redemptions, as the redemption rows say. */
  redemptionsFen: Fen;
  /** Debits to this budget in the range's redemption postings. */
  ledgerDebitFen: Fen;
  /** Share taken back by the range's refunds (reversals and clawbacks), as their rows say. */
  reversedFen: Fen;
  /** Credits to this budget in the range's refund and clawback postings. */
  ledgerCreditFen: Fen;
  /** (ledger debits − ledger credits) − (redemptions − reversed): 0 when the ledger agrees. */
  differenceFen: Fen;
}

export interface LineFigures {
  lines: number;
  redemptions: number;
  amountFen: Fen;
  grossFen: Fen;
  carriedFen: Fen;
  clawbackFen: Fen;
  cityFen: Fen;
  districtFen: Fen;
}

/**
 * One thing that does not agree. `refType`/`refId` name the row (redemption, refund,
 * clawback, settlement_line, settlement_batch: public ids) or, for ledger postings, the
 * posting's own ref; `postingId` is set for an unbalanced posting. `expected` is what the
 * rows say, `actual` what was found; `unit` is fen unless it says count.
 */
export interface Difference {
  kind: string;
  refType: string;
  refId: string;
  postingId: string | null;
  expected: number | null;
  actual: number | null;
  unit: 'fen' | 'count';
}

export interface CheckResult {
  /** Every difference found, however many are listed. */
  count: number;
  /** The first differences (by ref id), at most REPORT_LIST_LIMIT. */
  differences: Difference[];
  truncated: boolean;
}

export const CHECK_NAMES = ['postings', 'redemptions', 'refunds', 'settlementLines', 'payments'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface ReconciliationReport {
  /** Business days (Asia/Shanghai), inclusive. */
  from: string;
  to: string;
  /** Set when the report is a batch's: its business day and its lines. */
  batch: BatchView | null;
  generatedAt: string;
  vouchers: {
    claimed: CountAndFaceValue;
    expired: CountAndFaceValue;
    byCampaign: CampaignVouchers[];
  };
  redemptions: { count: number; orderAmountFen: Fen; discountFen: Fen; cityFen: Fen; districtFen: Fen };
  refunds: {
    count: number;
    refundAmountFen: Fen;
    discountReversedFen: Fen;
    cityFen: Fen;
    districtFen: Fen;
    /** Of which taken back after settlement: owed back by the merchant, netted by a later batch. */
    clawbacks: { count: number; amountFen: Fen };
  };
  subsidy: {
    total: SubsidyFigures;
    byCampaign: Array<{ campaignId: string; campaignName: string } & SubsidyFigures>;
    byDistrict: Array<{ district: string } & SubsidyFigures>;
    byCategory: Array<{ category: string } & SubsidyFigures>;
    byFundingSource: FundingSource[];
  };
  settlement: {
    batches: BatchView[];
    /** Amounts of the lines of the range's batches: payable is all of them, then by status. */
    payableFen: Fen;
    pendingFen: Fen;
    heldFen: Fen;
    paidFen: Fen;
    failedFen: Fen;
    clawedBackFen: Fen;
    lines: LineFigures;
    byStatus: Array<{ status: string } & LineFigures>;
  };
  checks: Record<CheckName, CheckResult>;
  /** Differences found by all checks together. */
  mismatches: number;
}
