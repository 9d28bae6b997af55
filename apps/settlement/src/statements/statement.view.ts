import { Fen, fenFromColumn } from '@vouchers/common';

/** One merchant's line of one settlement batch, as the merchant reads it. */
export interface StatementView {
  lineId: string;
  batchId: string;
  businessDate: string;
  batchStatus: string;
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
  paidAt: string | null;
  bankAccountMasked: string | null;
}

export const STATEMENT_COLUMNS = `l.public_id, b.public_id AS batch_public_id, to_char(b.business_date, 'YYYY-MM-DD') AS business_date,
  b.status AS batch_status, l.redemption_count, l.gross_fen, l.carried_fen, l.clawback_fen, l.amount_fen, l.city_fen,
  l.district_fen, l.status, l.failure_reason, l.paid_at, l.bank_account_masked`;

export interface StatementRow {
  public_id: string;
  batch_public_id: string;
  business_date: string;
  batch_status: string;
  redemption_count: number;
  gross_fen: string;
  carried_fen: string;
  clawback_fen: string;
  amount_fen: string;
  city_fen: string;
  district_fen: string;
  status: string;
  failure_reason: string | null;
  paid_at: Date | null;
  bank_account_masked: string | null;
}

export function statementView(row: StatementRow): StatementView {
  const fen = (value: string) => fenFromColumn(value) ?? 0;
  return {
    lineId: row.public_id,
    batchId: row.batch_public_id,
    businessDate: row.business_date,
    batchStatus: row.batch_status,
    redemptionCount: row.redemption_count,
    grossFen: fen(row.gross_fen),
    carriedFen: fen(row.carried_fen),
    clawbackFen: fen(row.clawback_fen),
    amountFen: fen(row.amount_fen),
    cityFen: fen(row.city_fen),
    districtFen: fen(row.district_fen),
    status: row.status,
    failureReason: row.failure_reason,
    paidAt: row.paid_at?.toISOString() ?? null,
    bankAccountMasked: row.bank_account_masked,
  };
}
