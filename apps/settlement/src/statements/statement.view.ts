import { SettlementBatch, SettlementLine } from '@vouchers/database';
import { LINE_AMOUNT_FIELDS, LineAmounts, lineAmounts, LineOfAmounts } from '../batches/batch.view';

/** One merchant's line of one settlement batch, as the merchant reads it. */
export interface StatementView extends LineAmounts {
  lineId: string;
  batchId: string;
  businessDate: string;
  batchStatus: string;
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
