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
    const keep = order({ policy: 'keep_discount' });
    expect(decideRefund(keep, 10_000)).toMatchObject({ reverseDiscount: false, customerRefundFen: 10_000, status: 'partly_refunded' });
    expect(decideRefund({ ...keep, refundedAmountFen: 10_000 }, 10_000)).toMatchObject({ reverseDiscount: true, customerRefundFen: 7_000, status: 'refunded' });
  });

  it('never gives back more than the customer paid under keep_discount, and the last goods still refund (for nothing more)', () => {
    const keep = order({ policy: 'keep_discount' });
    // 17,000 paid: goods of 19,999 returned while the discount stands give back 17,000, not 19,999.
    expect(decideRefund(keep, 19_999)).toMatchObject({ ok: true, reverseDiscount: false, customerRefundFen: 17_000, status: 'partly_refunded' });
    expect(decideRefund({ ...keep, refundedAmountFen: 19_999 }, 1)).toEqual({
      ok: true,
      reverseDiscount: true,
      customerRefundFen: 0,
      refundedAmountFen: 20_000,
      status: 'refunded',
    });
    // Under what was paid, the last goods give back the rest of it.
    const steps = [
      decideRefund(keep, 16_000),
      decideRefund({ ...keep, refundedAmountFen: 16_000 }, 3_000),
      decideRefund({ ...keep, refundedAmountFen: 19_000 }, 1_000),
    ].map((decision) => (decision.ok ? decision.customerRefundFen : NaN));
    expect(steps).toEqual([16_000, 1_000, 0]);
    expect(steps.reduce((a, b) => a + b)).toBe(17_000);
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
