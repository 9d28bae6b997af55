import { Fen, fenFromColumn } from '@vouchers/common';

/** What the till shows once a voucher is applied. */
export interface RedemptionView {
  redemptionId: string;
  voucherId: string;
  merchantOrderNo: string;
  orderAmountFen: Fen;
  /** The voucher's face value: what the customer does not pay. */
  discountFen: Fen;
  /** What the customer pays: orderAmountFen - discountFen. */
  payableFen: Fen;
  status: string;
  redeemedAt: string;
  businessDate: string;
}

export interface RedemptionRow {
  public_id: string;
  voucher_public_id: string;
  merchant_order_no: string;
  order_amount_fen: string | number;
  discount_fen: string | number;
  status: string;
  redeemed_at: string | Date;
  business_date: string;
  code_digest: string;
}

export function redemptionView(row: RedemptionRow): RedemptionView {
  const orderAmountFen = fenFromColumn(row.order_amount_fen) ?? 0;
  const discountFen = fenFromColumn(row.discount_fen) ?? 0;
  return {
    redemptionId: row.public_id,
    voucherId: row.voucher_public_id,
    merchantOrderNo: row.merchant_order_no,
    orderAmountFen,
    discountFen,
    payableFen: orderAmountFen - discountFen,
    status: row.status,
    redeemedAt: new Date(row.redeemed_at).toISOString(),
    businessDate: row.business_date,
  };
}
