import { Fen } from '@vouchers/common';
import { Redemption } from '@vouchers/database';

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

/**
 * A redemption as the till and the merchant's listing read it: the Redemption entity's columns
 * and its voucher's public id. REDEEM_BATCH hands it back as JSON, with the time as text.
 */
export type RedemptionRow = Pick<
  Redemption,
  'publicId' | 'merchantOrderNo' | 'orderAmountFen' | 'discountFen' | 'status' | 'businessDate' | 'codeDigest'
> & { voucherPublicId: string; redeemedAt: Date | string };

export function redemptionView(row: RedemptionRow): RedemptionView {
  return {
    redemptionId: row.publicId,
    voucherId: row.voucherPublicId,
    merchantOrderNo: row.merchantOrderNo,
    orderAmountFen: row.orderAmountFen,
    discountFen: row.discountFen,
    payableFen: row.orderAmountFen - row.discountFen,
    status: row.status,
    redeemedAt: new Date(row.redeemedAt).toISOString(),
    businessDate: row.businessDate,
  };
}
