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
 *
 * The customer never gets back more than they paid (the order less the discount): under
 * keep_discount, goods returned while the discount stands can come to more than that, and the
 * refund that reaches it gives back only the rest. The last goods then take the discount back
 * and give the customer nothing more, where they were refused and the order could never be
 * refunded in full.
 */
export function decideRefund(order: RefundableOrder, amountFen: number): RefundDecision {
  const left = order.orderAmountFen - order.refundedAmountFen;
  if (amountFen > left) return { ok: false, reason: 'EXCEEDS_ORDER' };
  const leftAfter = left - amountFen;
  const reverseDiscount =
    order.discountStands && (leftAfter === 0 || (order.policy === 'reverse_below_threshold' && leftAfter < order.thresholdFen));
  const paid = order.orderAmountFen - order.discountFen;
  // Given back so far: the goods' value while the discount stood (up to what was paid), less the discount once it was taken back.
  const givenBack = order.discountStands ? Math.min(order.refundedAmountFen, paid) : order.refundedAmountFen - order.discountFen;
  const owed = Math.min(reverseDiscount ? amountFen - order.discountFen : amountFen, paid - givenBack);
  // Below zero: the refund would cost the customer more than it returns; on the order's last goods, everything paid is back already.
  if (owed < 0 && (leftAfter > 0 || givenBack < paid)) return { ok: false, reason: 'LESS_THAN_DISCOUNT' };
  const customerRefundFen = Math.max(owed, 0);
  const discountStands = order.discountStands && !reverseDiscount;
  return {
    ok: true,
    reverseDiscount,
    customerRefundFen,
    refundedAmountFen: order.refundedAmountFen + amountFen,
    status: discountStands ? 'partly_refunded' : leftAfter === 0 ? 'refunded' : 'reversed',
  };
}
