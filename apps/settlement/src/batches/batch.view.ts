import { Fen } from '@vouchers/common';
import { Merchant, SettlementBatch, SettlementLine } from '@vouchers/database';

export interface BatchView {
  id: string;
  businessDate: string;
  status: string;
  /** The build's progress: chunks of merchants done out of all. */
  progress: { chunksDone: number; chunkCount: number };
  lineCount: number;
  redemptionCount: number;
  /** What the batch pays: its pending lines. */
  totalFen: Fen;
  paidFen: Fen;
  failedFen: Fen;
  /** Who checked it and submitted it for approval (复核), and when. */
  submittedBy: string | null;
  submittedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  adjustedBy: string | null;
  builtAt: string | null;
}

/** What batchView reads of a batch. */
export type ViewedBatch = Pick<
  SettlementBatch,
  | 'publicId'
  | 'businessDate'
  | 'status'
  | 'chunksDone'
  | 'chunkCount'
  | 'lineCount'
  | 'redemptionCount'
  | 'totalFen'
  | 'paidFen'
  | 'failedFen'
  | 'submittedBy'
  | 'submittedAt'
  | 'approvedBy'
  | 'approvedAt'
  | 'adjustedBy'
  | 'builtAt'
>;

export function batchView(batch: ViewedBatch): BatchView {
  return {
    id: batch.publicId,
    businessDate: batch.businessDate,
    status: batch.status,
    progress: { chunksDone: batch.chunksDone, chunkCount: batch.chunkCount },
    lineCount: batch.lineCount,
    redemptionCount: batch.redemptionCount,
    totalFen: batch.totalFen,
    paidFen: batch.paidFen,
    failedFen: batch.failedFen,
    submittedBy: batch.submittedBy,
    submittedAt: batch.submittedAt?.toISOString() ?? null,
    approvedBy: batch.approvedBy,
    approvedAt: batch.approvedAt?.toISOString() ?? null,
    adjustedBy: batch.adjustedBy,
    builtAt: batch.builtAt?.toISOString() ?? null,
  };
}

/** What a settlement line owes, as officials (LineView) and its merchant (StatementView) both read it. */
export interface LineAmounts {
  redemptionCount: number;
  /** Subsidy of the day's redemptions whose discount still stood when the batch was built. */
  grossFen: Fen;
  /** Earlier lines that failed at the bank or were held, paid with this one. */
  carriedFen: Fen;
  /** Refunds after earlier settlements, taken back here. */
  clawbackFen: Fen;
  amountFen: Fen;
  cityFen: Fen;
  districtFen: Fen;
  status: string;
  failureReason: string | null;
  bankAccountMasked: string | null;
}

/** The fields of a settlement line that LineAmounts shows: a query builder selects these (`l.<field>`). */
export const LINE_AMOUNT_FIELDS = [
  'redemptionCount',
  'grossFen',
  'carriedFen',
  'clawbackFen',
  'amountFen',
  'cityFen',
  'districtFen',
  'status',
  'failureReason',
  'bankAccountMasked',
] as const satisfies ReadonlyArray<keyof SettlementLine>;

export type LineOfAmounts = Pick<SettlementLine, (typeof LINE_AMOUNT_FIELDS)[number]>;

export function lineAmounts(line: LineOfAmounts): LineAmounts {
  return {
    redemptionCount: line.redemptionCount,
    grossFen: line.grossFen,
    carriedFen: line.carriedFen,
    clawbackFen: line.clawbackFen,
    amountFen: line.amountFen,
    cityFen: line.cityFen,
    districtFen: line.districtFen,
    status: line.status,
    failureReason: line.failureReason,
    bankAccountMasked: line.bankAccountMasked,
  };
}

export interface LineView extends LineAmounts {
  id: string;
  merchantId: string;
  shopName: string;
  creditCode: string | null;
}

/** The fields of a settlement line (aliased `l`) that LineView shows, beside its merchant's (aliased `m`). */
export const LINE_VIEW_SELECT = [
  'l.publicId',
  'l.creditCode',
  ...LINE_AMOUNT_FIELDS.map((field) => `l.${field}`),
  'm.publicId',
  'm.shopName',
];

/** A line with its merchant joined (an inner join: always there). */
export type ViewedLine = Pick<SettlementLine, 'publicId' | 'creditCode'> & LineOfAmounts & { merchant: Pick<Merchant, 'publicId' | 'shopName'> };

export function lineView(line: ViewedLine): LineView {
  return {
    id: line.publicId,
    merchantId: line.merchant.publicId,
    shopName: line.merchant.shopName,
    creditCode: line.creditCode,
    ...lineAmounts(line),
  };
}
