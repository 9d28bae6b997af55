import { ApiProperty } from '@nestjs/swagger';
import { Fen } from '@vouchers/common';
import { LINE_STATUSES } from './batch-dtos';
import { BATCH_STATUSES } from './list-batches.query';
import { Merchant, SettlementBatch, SettlementLine } from '@vouchers/database';

/** The build's progress: chunks of merchants done out of all. */
export class BatchProgress {
  @ApiProperty({ type: 'integer' })
  chunksDone: number;

  @ApiProperty({ type: 'integer' })
  chunkCount: number;
}

export class BatchView {
  @ApiProperty({ description: 'Public id of the batch', format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-26' })
  businessDate: string;

  @ApiProperty({ enum: BATCH_STATUSES })
  status: string;

  @ApiProperty({ type: BatchProgress, description: "The build's progress" })
  progress: BatchProgress;

  @ApiProperty({ type: 'integer' })
  lineCount: number;

  @ApiProperty({ type: 'integer' })
  redemptionCount: number;

  @ApiProperty({ type: 'integer', description: 'What the batch pays: its pending lines, in fen' })
  totalFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Paid so far, in fen' })
  paidFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Failed at the bank, in fen' })
  failedFen: Fen;

  @ApiProperty({ type: String, nullable: true, description: 'Public id of the official who checked it and submitted it for approval (复核)' })
  submittedBy: string | null;

  @ApiProperty({ type: String, nullable: true, description: "That official's name" })
  submittedByName: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  submittedAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Public id of the official who approved it (审批)' })
  approvedBy: string | null;

  @ApiProperty({ type: String, nullable: true, description: "That official's name" })
  approvedByName: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  approvedAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Public id of the official who last re-opened or adjusted it' })
  adjustedBy: string | null;

  @ApiProperty({ type: String, nullable: true, description: "That official's name" })
  adjustedByName: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
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

/** `names`: the names of the officials it names, by public id (officialNames). */
export function batchView(batch: ViewedBatch, names: ReadonlyMap<string, string>): BatchView {
  const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
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
    submittedByName: nameOf(batch.submittedBy),
    submittedAt: batch.submittedAt?.toISOString() ?? null,
    approvedBy: batch.approvedBy,
    approvedByName: nameOf(batch.approvedBy),
    approvedAt: batch.approvedAt?.toISOString() ?? null,
    adjustedBy: batch.adjustedBy,
    adjustedByName: nameOf(batch.adjustedBy),
    builtAt: batch.builtAt?.toISOString() ?? null,
  };
}

/** What a settlement line owes, as officials (LineView) and its merchant (StatementView) both read it. */
export class LineAmounts {
  @ApiProperty({ type: 'integer' })
  redemptionCount: number;

  @ApiProperty({ type: 'integer', description: 'Subsidy of the day\'s redemptions whose discount still stood when the batch was built, in fen' })
  grossFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Earlier lines that failed at the bank or were held, paid with this one, in fen' })
  carriedFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Refunds after earlier settlements, taken back here, in fen' })
  clawbackFen: Fen;

  @ApiProperty({ type: 'integer', description: 'What the line pays: gross + carried - clawback, in fen' })
  amountFen: Fen;

  @ApiProperty({ type: 'integer', description: 'The city\'s share, in fen' })
  cityFen: Fen;

  @ApiProperty({ type: 'integer', description: 'The district\'s share, in fen' })
  districtFen: Fen;

  @ApiProperty({ enum: LINE_STATUSES })
  status: string;

  @ApiProperty({ type: String, nullable: true, description: "The bank's reason, for a failed line" })
  failureReason: string | null;

  @ApiProperty({ description: 'A failed or held line a later line took over: its amount is paid (or to be paid) with that one' })
  carriedForward: boolean;

  @ApiProperty({ type: String, nullable: true, example: '6222 **** **** 0123' })
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
  'carriedIntoLineId',
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
    carriedForward: line.carriedIntoLineId !== null,
    bankAccountMasked: line.bankAccountMasked,
  };
}

export class LineView extends LineAmounts {
  @ApiProperty({ description: 'Public id of the line', format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  merchantId: string;

  @ApiProperty({ example: '示例小馆' })
  shopName: string;

  @ApiProperty({ type: String, nullable: true, example: '91330203MA2AB3CD1J' })
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

/** The ids on a batch that name an official. */
export const actorsOf = (batch: { submittedBy: string | null; approvedBy: string | null; adjustedBy: string | null }) => [
  batch.submittedBy,
  batch.approvedBy,
  batch.adjustedBy,
];
