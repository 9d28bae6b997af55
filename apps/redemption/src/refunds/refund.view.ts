import { Fen, fenFromColumn } from '@vouchers/common';

export interface RefundView {
  refundId: string;
  redemptionId: string;
  merchantRefundNo: string;
  refundAmountFen: Fen;
  customerRefundFen: Fen;
  /** The subsidy taken back by this refund (0 when the discount stands). */
  discountReversedFen: Fen;
  /** The subsidy had already been paid to the merchant: it is netted from the next settlement. */
  clawback: boolean;
  refundedAt: string;
  businessDate: string;
}

export interface RefundRow {
  public_id: string;
  redemption_public_id: string;
  redemption_id: string;
  merchant_refund_no: string;
  refund_amount_fen: string | number;
  customer_refund_fen: string | number;
  discount_reversed_fen: string | number;
  clawback: boolean;
  refunded_at: string | Date;
  business_date: string;
}

export function refundView(row: RefundRow): RefundView {
  return {
    refundId: row.public_id,
    redemptionId: row.redemption_public_id,
    merchantRefundNo: row.merchant_refund_no,
    refundAmountFen: fenFromColumn(row.refund_amount_fen) ?? 0,
    customerRefundFen: fenFromColumn(row.customer_refund_fen) ?? 0,
    discountReversedFen: fenFromColumn(row.discount_reversed_fen) ?? 0,
    clawback: row.clawback,
    refundedAt: new Date(row.refunded_at).toISOString(),
    businessDate: row.business_date,
  };
}

/** A merchant's refund with its redemption's public id, and whether it became a clawback. */
export const REFUND_COLUMNS = `
  f.public_id, r.public_id AS redemption_public_id, f.redemption_id, f.merchant_refund_no, f.refund_amount_fen,
  f.customer_refund_fen, f.discount_reversed_fen, EXISTS (SELECT 1 FROM clawbacks c WHERE c.refund_id = f.id) AS clawback,
  f.refunded_at, to_char(f.business_date, 'YYYY-MM-DD') AS business_date`;
