import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, DISTRICT_CODES, Fen } from '@vouchers/common';
import { LINE_STATUSES } from '../batches/batch-dtos';
import { BatchView } from '../batches/batch.view';

export class CountAndFaceValue {
  @ApiProperty({ type: 'integer' })
  count: number;

  @ApiProperty({ type: 'integer', description: 'Face value, in fen' })
  faceValueFen: Fen;
}

export class CampaignVouchers {
  @ApiProperty({ format: 'uuid' })
  campaignId: string;

  @ApiProperty({ example: '宁波消费券 · 餐饮' })
  campaignName: string;

  @ApiProperty({ type: CountAndFaceValue })
  claimed: CountAndFaceValue;

  @ApiProperty({ type: CountAndFaceValue })
  expired: CountAndFaceValue;
}

/**
 * Subsidy of a slice of the range: the discount of its redemptions, less what refunds of the
 * range took back (whenever the redemption was); each split into the city's and the
 * district's share.
 */
export class SubsidyFigures {
  @ApiProperty({ type: 'integer' })
  redemptions: number;

  @ApiProperty({ type: 'integer', description: 'Order amounts before the discount, in fen' })
  orderAmountFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Discounts of the redemptions, in fen' })
  discountFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Taken back by refunds of the range, in fen' })
  reversedFen: Fen;

  @ApiProperty({ type: 'integer', description: 'discountFen - reversedFen' })
  netFen: Fen;

  @ApiProperty({ type: 'integer', description: "The city's share of netFen" })
  cityNetFen: Fen;

  @ApiProperty({ type: 'integer', description: "The districts' share of netFen" })
  districtNetFen: Fen;
}

export class CampaignSubsidy extends SubsidyFigures {
  @ApiProperty({ format: 'uuid' })
  campaignId: string;

  @ApiProperty({ example: '宁波消费券 · 餐饮' })
  campaignName: string;
}

export class DistrictSubsidy extends SubsidyFigures {
  @ApiProperty({ enum: DISTRICT_CODES })
  district: string;
}

export class CategorySubsidy extends SubsidyFigures {
  @ApiProperty({ enum: CATEGORIES })
  category: string;
}

/**
 * One funding source (city, all districts, or one district's budget): the subsidy the rows
 * say it paid against the budget legs the ledger holds for the same rows.
 */
export class FundingSource {
  @ApiProperty({ description: 'city, districts, or one district', example: 'city' })
  source: string;

  @ApiProperty({ type: 'integer', description: "City or district share of the range's redemptions, as the redemption rows say" })
  redemptionsFen: Fen;

  @ApiProperty({ type: 'integer', description: "Debits to this budget in the range's redemption postings" })
  ledgerDebitFen: Fen;

  @ApiProperty({ type: 'integer', description: "Share taken back by the range's refunds (reversals and clawbacks), as their rows say" })
  reversedFen: Fen;

  @ApiProperty({ type: 'integer', description: "Credits to this budget in the range's refund and clawback postings" })
  ledgerCreditFen: Fen;

  @ApiProperty({ type: 'integer', description: '(ledger debits - ledger credits) - (redemptions - reversed): 0 when the ledger agrees' })
  differenceFen: Fen;
}

export class LineFigures {
  @ApiProperty({ type: 'integer' })
  lines: number;

  @ApiProperty({ type: 'integer' })
  redemptions: number;

  @ApiProperty({ type: 'integer', description: 'What the lines pay, in fen' })
  amountFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Subsidy of their redemptions, in fen' })
  grossFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Carried from earlier lines, in fen' })
  carriedFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Clawed back, in fen' })
  clawbackFen: Fen;

  @ApiProperty({ type: 'integer', description: "The city's share, in fen" })
  cityFen: Fen;

  @ApiProperty({ type: 'integer', description: "The districts' share, in fen" })
  districtFen: Fen;
}

export class StatusLineFigures extends LineFigures {
  @ApiProperty({ enum: LINE_STATUSES })
  status: string;
}

/**
 * One thing that does not agree. `refType`/`refId` name the row (redemption, refund,
 * clawback, settlement_line, settlement_batch: public ids) or, for ledger postings, the
 * posting's own ref; `postingId` is set for an unbalanced posting. `expected` is what the
 * rows say, `actual` what was found; `unit` is fen unless it says count.
 */
export class Difference {
  @ApiProperty({ description: 'What disagrees' })
  kind: string;

  @ApiProperty({ example: 'redemption' })
  refType: string;

  @ApiProperty({ description: 'The row (or posting ref) that disagrees' })
  refId: string;

  @ApiProperty({ type: String, nullable: true })
  postingId: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'What the rows say' })
  expected: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'What was found' })
  actual: number | null;

  @ApiProperty({ enum: ['fen', 'count'] })
  unit: 'fen' | 'count';
}

export class CheckResult {
  @ApiProperty({ type: 'integer', description: 'Every difference found, however many are listed' })
  count: number;

  @ApiProperty({ type: [Difference], description: 'The first differences (by ref id), at most 1,000' })
  differences: Difference[];

  @ApiProperty({ description: 'More were found than are listed' })
  truncated: boolean;
}

export const CHECK_NAMES = ['postings', 'redemptions', 'refunds', 'settlementLines', 'payments'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** One result per check (CHECK_NAMES). */
export class ReconciliationChecks {
  @ApiProperty({ type: CheckResult })
  postings: CheckResult;

  @ApiProperty({ type: CheckResult })
  redemptions: CheckResult;

  @ApiProperty({ type: CheckResult })
  refunds: CheckResult;

  @ApiProperty({ type: CheckResult })
  settlementLines: CheckResult;

  @ApiProperty({ type: CheckResult })
  payments: CheckResult;
}

export class VoucherFigures {
  @ApiProperty({ type: CountAndFaceValue })
  claimed: CountAndFaceValue;

  @ApiProperty({ type: CountAndFaceValue })
  expired: CountAndFaceValue;

  @ApiProperty({ type: [CampaignVouchers] })
  byCampaign: CampaignVouchers[];
}

export class RedemptionFigures {
  @ApiProperty({ type: 'integer' })
  count: number;

  @ApiProperty({ type: 'integer', description: 'Order amounts before the discount, in fen' })
  orderAmountFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Discounts, in fen' })
  discountFen: Fen;

  @ApiProperty({ type: 'integer', description: "The city's share, in fen" })
  cityFen: Fen;

  @ApiProperty({ type: 'integer', description: "The districts' share, in fen" })
  districtFen: Fen;
}

export class ClawbackFigures {
  @ApiProperty({ type: 'integer' })
  count: number;

  @ApiProperty({ type: 'integer', description: 'Clawed back, in fen' })
  amountFen: Fen;
}

export class RefundFigures {
  @ApiProperty({ type: 'integer' })
  count: number;

  @ApiProperty({ type: 'integer', description: 'Goods value returned, in fen' })
  refundAmountFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Subsidy taken back, in fen' })
  discountReversedFen: Fen;

  @ApiProperty({ type: 'integer', description: "The city's share taken back, in fen" })
  cityFen: Fen;

  @ApiProperty({ type: 'integer', description: "The districts' share taken back, in fen" })
  districtFen: Fen;

  @ApiProperty({ type: ClawbackFigures, description: 'Of which taken back after settlement: owed back by the merchant, netted by a later batch' })
  clawbacks: ClawbackFigures;
}

export class SubsidyBreakdown {
  @ApiProperty({ type: SubsidyFigures })
  total: SubsidyFigures;

  @ApiProperty({ type: [CampaignSubsidy] })
  byCampaign: CampaignSubsidy[];

  @ApiProperty({ type: [DistrictSubsidy] })
  byDistrict: DistrictSubsidy[];

  @ApiProperty({ type: [CategorySubsidy] })
  byCategory: CategorySubsidy[];

  @ApiProperty({ type: [FundingSource] })
  byFundingSource: FundingSource[];
}

/** Amounts of the lines of the range's batches: payable is all of them, then by status. */
export class SettlementFigures {
  @ApiProperty({ type: [BatchView] })
  batches: BatchView[];

  @ApiProperty({ type: 'integer', description: 'All lines, in fen' })
  payableFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Pending lines, in fen' })
  pendingFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Held lines, in fen' })
  heldFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Paid lines, in fen' })
  paidFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Failed lines, in fen' })
  failedFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Clawed back, in fen' })
  clawedBackFen: Fen;

  @ApiProperty({ type: LineFigures })
  lines: LineFigures;

  @ApiProperty({ type: [StatusLineFigures] })
  byStatus: StatusLineFigures[];
}

export class ReconciliationReport {
  @ApiProperty({ description: 'First business day (Asia/Shanghai), inclusive', example: '2026-11-01' })
  from: string;

  @ApiProperty({ description: 'Last business day, inclusive', example: '2026-11-30' })
  to: string;

  @ApiProperty({ type: BatchView, nullable: true, description: "Set when the report is a batch's: its business day and its lines" })
  batch: BatchView | null;

  @ApiProperty({ format: 'date-time' })
  generatedAt: string;

  @ApiProperty({ type: VoucherFigures })
  vouchers: VoucherFigures;

  @ApiProperty({ type: RedemptionFigures })
  redemptions: RedemptionFigures;

  @ApiProperty({ type: RefundFigures })
  refunds: RefundFigures;

  @ApiProperty({ type: SubsidyBreakdown })
  subsidy: SubsidyBreakdown;

  @ApiProperty({ type: SettlementFigures })
  settlement: SettlementFigures;

  @ApiProperty({ type: ReconciliationChecks })
  checks: ReconciliationChecks;

  @ApiProperty({ type: 'integer', description: 'Differences found by all checks together' })
  mismatches: number;
}
