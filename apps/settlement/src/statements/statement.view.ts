import { ApiProperty } from '@nestjs/swagger';
import { SettlementBatch, SettlementLine } from '@vouchers/database';
import { BATCH_STATUSES } from '../batches/list-batches.query';
import { LINE_AMOUNT_FIELDS, LineAmounts, lineAmounts, LineOfAmounts } from '../batches/batch.view';

/** One merchant's line of one settlement batch, as the merchant reads it. */
export class StatementView extends LineAmounts {
  @ApiProperty({ format: 'uuid' })
  lineId: string;

  @ApiProperty({ format: 'uuid' })
  batchId: string;

  @ApiProperty({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-26' })
  businessDate: string;

  @ApiProperty({ enum: BATCH_STATUSES })
  batchStatus: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  paidAt: string | null;
}

/** The fields of a settlement line (aliased `l`) and of its batch (aliased `b`) that StatementView shows. */
export const STATEMENT_SELECT = [
  'l.publicId',
  'l.paidAt',
  ...LINE_AMOUNT_FIELDS.map((field) => `l.${field}`),
  'b.publicId',
  'b.businessDate',
  'b.status',
];

/** A line with its batch joined (an inner join: always there). */
export type StatementLine = Pick<SettlementLine, 'publicId' | 'paidAt'> &
  LineOfAmounts & { batch: Pick<SettlementBatch, 'publicId' | 'businessDate' | 'status'> };

export function statementView(line: StatementLine): StatementView {
  return {
    lineId: line.publicId,
    batchId: line.batch.publicId,
    businessDate: line.batch.businessDate,
    batchStatus: line.batch.status,
    paidAt: line.paidAt?.toISOString() ?? null,
    ...lineAmounts(line),
  };
}
