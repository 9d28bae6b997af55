import { canDecide, MERCHANT_STATUSES } from './merchant-states';

describe('merchant status moves', () => {
  const allowed = new Set(['pending>approved', 'pending>rejected', 'approved>suspended', 'suspended>approved']);

  it.each(MERCHANT_STATUSES.flatMap((from) => MERCHANT_STATUSES.map((to) => [from, to] as const)))(
    '%s → %s is allowed only when listed',
    (from, to) => {
      expect(canDecide(from, to)).toBe(allowed.has(`${from}>${to}`));
    },
  );
});
