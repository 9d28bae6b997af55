import { budgetShares, shareOf } from './bucket-shares';

describe('splitting a campaign into hot-stock buckets', () => {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

  it('splits stock as evenly as whole numbers go, adding up, negative amounts too', () => {
    expect([0, 1, 2, 3].map((k) => shareOf(10, k, 4))).toEqual([3, 3, 2, 2]);
    expect([0, 1, 2, 3].map((k) => shareOf(-10, k, 4))).toEqual([-3, -3, -2, -2]);
    expect(shareOf(7, 0, 1)).toBe(7);
    for (const total of [0, 1, 5, 999_999, -17]) expect(sum([0, 1, 2, 3, 4, 5, 6].map((k) => shareOf(total, k, 7)))).toBe(total);
  });

  it('gives each bucket its stock’s worth and splits a surplus evenly', () => {
    expect(budgetShares(1_000, [300, 200, 100])).toEqual([434, 333, 233]);
    expect(budgetShares(5_000, [5_000])).toEqual([5_000]);
  });

  it('splits a budget short of the stock’s worth in proportion, never more than it', () => {
    const shares = budgetShares(1_001, [1_000, 500, 500]);
    expect(sum(shares)).toBe(1_001);
    expect(shares[0]).toBeGreaterThanOrEqual(500);
    expect(sum(budgetShares(3 * 10 ** 15 + 7, [10 ** 15, 10 ** 15, 2 * 10 ** 15]))).toBe(3 * 10 ** 15 + 7);
    expect(budgetShares(-50, [10, 10])).toEqual([-50, 0]);
  });
});
