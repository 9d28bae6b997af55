import { Fen } from '@vouchers/common';
import { Refund } from '@vouchers/database';

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

/**
 * A refund as the till and the merchant's listing read it: the Refund entity's columns, its
 * redemption's public id, and whether it became a clawback (the subsidy was already paid).
 */
export type RefundRow = Pick<
  Refund,
  'publicId' | 'redemptionId' | 'merchantRefundNo' | 'refundAmountFen' | 'customerRefundFen' | 'discountReversedFen' | 'refundedAt' | 'businessDate'
> & { redemptionPublicId: string; clawback: boolean };

export function refundView(row: RefundRow): RefundView {
  return {
    refundId: row.publicId,
    redemptionId: row.redemptionPublicId,
    merchantRefundNo: row.merchantRefundNo,
    refundAmountFen: row.refundAmountFen,
    customerRefundFen: row.customerRefundFen,
    discountReversedFen: row.discountReversedFen,
    clawback: row.clawback,
    refundedAt: new Date(row.refundedAt).toISOString(),
    businessDate: row.businessDate,
  };
}
