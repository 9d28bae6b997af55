import { LINE_AMOUNT_COLUMNS, LineAmountRow, LineAmounts, lineAmounts } from '../batches/batch.view';

/** One merchant's line of one settlement batch, as the merchant reads it. */
export interface StatementView extends LineAmounts {
  lineId: string;
  batchId: string;
  businessDate: string;
  batchStatus: string;
  paidAt: string | null;
}

export const STATEMENT_COLUMNS = `l.public_id, b.public_id AS batch_public_id, to_char(b.business_date, 'YYYY-MM-DD') AS business_date,
  b.status AS batch_status, l.paid_at, ${LINE_AMOUNT_COLUMNS}`;

export interface StatementRow extends LineAmountRow {
  public_id: string;
  batch_public_id: string;
  business_date: string;
  batch_status: string;
  paid_at: Date | null;
}

export function statementView(row: StatementRow): StatementView {
  return {
    lineId: row.public_id,
    batchId: row.batch_public_id,
    businessDate: row.business_date,
    batchStatus: row.batch_status,
    paidAt: row.paid_at?.toISOString() ?? null,
    ...lineAmounts(row),
  };
}
