/** A redemption as a refund finds it (amounts in fen). */
export interface RefundableOrder {
  orderAmountFen: number;
  refundedAmountFen: number;
  discountFen: number;
  thresholdFen: number;
  /** The discount has not been taken back yet. */
  discountStands: boolean;
  policy: 'reverse_below_threshold' | 'keep_discount';
}

export type RefundDecision =
  | { ok: false; reason: 'EXCEEDS_ORDER' | 'LESS_THAN_DISCOUNT' }
  | {
      ok: true;
      reverseDiscount: boolean;
      /** What goes back to the customer: the goods value, less the discount when it is taken back. */
      customerRefundFen: number;
      refundedAmountFen: number;
      status: 'partly_refunded' | 'reversed' | 'refunded';
    };

/**
 * What a refund of `amountFen` of goods does. A full refund (nothing left of the order) takes
 * the discount back. A partial one does when the campaign's policy is reverse_below_threshold
 * and the order left falls below the voucher's threshold; under keep_discount it never does.
 * Taking the discount back costs the customer the discount, so a refund smaller than the
 * discount cannot take it back and is refused (the till refunds the whole order instead).
 */
export function decideRefund(order: RefundableOrder, amountFen: number): RefundDecision {
  const left = order.orderAmountFen - order.refundedAmountFen;
  if (amountFen > left) return { ok: false, reason: 'EXCEEDS_ORDER' };
  const leftAfter = left - amountFen;
  const reverseDiscount =
    order.discountStands && (leftAfter === 0 || (order.policy === 'reverse_below_threshold' && leftAfter < order.thresholdFen));
  const customerRefundFen = reverseDiscount ? amountFen - order.discountFen : amountFen;
  if (customerRefundFen < 0) return { ok: false, reason: 'LESS_THAN_DISCOUNT' };
  const discountStands = order.discountStands && !reverseDiscount;
  return {
    ok: true,
    reverseDiscount,
    customerRefundFen,
    refundedAmountFen: order.refundedAmountFen + amountFen,
    status: discountStands ? 'partly_refunded' : leftAfter === 0 ? 'refunded' : 'reversed',
  };
}
