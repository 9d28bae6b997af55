import { Fen, fenFromColumn } from '@vouchers/common';

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
  approvedBy: string | null;
  approvedAt: string | null;
  adjustedBy: string | null;
  builtAt: string | null;
}

export const BATCH_COLUMNS = `public_id, to_char(business_date, 'YYYY-MM-DD') AS business_date, status, chunks_done, chunk_count,
  line_count, redemption_count, total_fen, paid_fen, failed_fen, approved_by, approved_at, adjusted_by, built_at`;

export interface BatchRow {
  public_id: string;
  business_date: string;
  status: string;
  chunks_done: number;
  chunk_count: number;
  line_count: number;
  redemption_count: number;
  total_fen: string;
  paid_fen: string;
  failed_fen: string;
  approved_by: string | null;
  approved_at: Date | null;
  adjusted_by: string | null;
  built_at: Date | null;
}

export function batchView(row: BatchRow): BatchView {
  return {
    id: row.public_id,
    businessDate: row.business_date,
    status: row.status,
    progress: { chunksDone: row.chunks_done, chunkCount: row.chunk_count },
    lineCount: row.line_count,
    redemptionCount: row.redemption_count,
    totalFen: fenFromColumn(row.total_fen) ?? 0,
    paidFen: fenFromColumn(row.paid_fen) ?? 0,
    failedFen: fenFromColumn(row.failed_fen) ?? 0,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at?.toISOString() ?? null,
    adjustedBy: row.adjusted_by,
    builtAt: row.built_at?.toISOString() ?? null,
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

/** The columns of LineAmounts, of settlement_lines aliased `l`. */
export const LINE_AMOUNT_COLUMNS = `l.redemption_count, l.gross_fen, l.carried_fen, l.clawback_fen, l.amount_fen, l.city_fen,
  l.district_fen, l.status, l.failure_reason, l.bank_account_masked`;

export interface LineAmountRow {
  redemption_count: number;
  gross_fen: string;
  carried_fen: string;
  clawback_fen: string;
  amount_fen: string;
  city_fen: string;
  district_fen: string;
  status: string;
  failure_reason: string | null;
  bank_account_masked: string | null;
}

export function lineAmounts(row: LineAmountRow): LineAmounts {
  const fen = (value: string) => fenFromColumn(value) ?? 0;
  return {
    redemptionCount: row.redemption_count,
    grossFen: fen(row.gross_fen),
    carriedFen: fen(row.carried_fen),
    clawbackFen: fen(row.clawback_fen),
    amountFen: fen(row.amount_fen),
    cityFen: fen(row.city_fen),
    districtFen: fen(row.district_fen),
    status: row.status,
    failureReason: row.failure_reason,
    bankAccountMasked: row.bank_account_masked,
  };
}

export interface LineView extends LineAmounts {
  id: string;
  merchantId: string;
  shopName: string;
  creditCode: string | null;
}

export const LINE_COLUMNS = `l.public_id, m.public_id AS merchant_public_id, m.shop_name, l.credit_code, ${LINE_AMOUNT_COLUMNS}`;

export interface LineRow extends LineAmountRow {
  public_id: string;
  merchant_public_id: string;
  shop_name: string;
  credit_code: string | null;
}

export function lineView(row: LineRow): LineView {
  return {
    id: row.public_id,
    merchantId: row.merchant_public_id,
    shopName: row.shop_name,
    creditCode: row.credit_code,
    ...lineAmounts(row),
  };
}
