import { decideRefund, RefundableOrder } from './refund-policy';

const order = (over: Partial<RefundableOrder> = {}): RefundableOrder => ({
  orderAmountFen: 20_000,
  refundedAmountFen: 0,
  discountFen: 3_000,
  thresholdFen: 10_000,
  discountStands: true,
  policy: 'reverse_below_threshold',
  ...over,
});

describe('refund policy', () => {
  it('takes the discount back on a full refund: the customer gets what they paid', () => {
    expect(decideRefund(order(), 20_000)).toEqual({
      ok: true,
      reverseDiscount: true,
      customerRefundFen: 17_000,
      refundedAmountFen: 20_000,
      status: 'refunded',
    });
  });

  it('keeps the discount while the order left stays at or above the threshold', () => {
    expect(decideRefund(order(), 10_000)).toMatchObject({ reverseDiscount: false, customerRefundFen: 10_000, status: 'partly_refunded' });
  });

  it('takes it back once the order left falls below the threshold', () => {
    expect(decideRefund(order(), 10_001)).toMatchObject({ reverseDiscount: true, customerRefundFen: 7_001, status: 'reversed' });
  });

  it('never takes it back on a partial refund under keep_discount, but does on the full one', () => {
    expect(decideRefund(order({ policy: 'keep_discount' }), 19_999)).toMatchObject({ reverseDiscount: false, customerRefundFen: 19_999 });
    expect(decideRefund(order({ policy: 'keep_discount', refundedAmountFen: 19_999 }), 1)).toMatchObject({ ok: false, reason: 'LESS_THAN_DISCOUNT' });
  });

  it('adds up over several refunds to what the customer paid', () => {
    const first = decideRefund(order(), 5_000);
    const second = decideRefund(order({ refundedAmountFen: 5_000 }), 8_000);
    const third = decideRefund(order({ refundedAmountFen: 13_000, discountStands: false }), 7_000);
    const paid = [first, second, third].map((d) => (d.ok ? d.customerRefundFen : NaN));
    expect(paid).toEqual([5_000, 5_000, 7_000]);
    expect(paid.reduce((a, b) => a + b)).toBe(20_000 - 3_000);
    expect(third).toMatchObject({ reverseDiscount: false, status: 'refunded' });
  });

  it('refuses more than is left, and a refund smaller than the discount it would take back', () => {
    expect(decideRefund(order({ refundedAmountFen: 15_000 }), 5_001)).toEqual({ ok: false, reason: 'EXCEEDS_ORDER' });
    expect(decideRefund(order({ orderAmountFen: 10_000 }), 500)).toEqual({ ok: false, reason: 'LESS_THAN_DISCOUNT' });
  });
});
