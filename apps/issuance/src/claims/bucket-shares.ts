/**
 * How a campaign's admission state is split into hot-stock buckets (ADMISSION.md): pure, so a
 * rebuild and a return to the pool split alike, and unit tests reach it without Redis.
 */

/** Bucket k's share of `total` split as evenly as whole numbers go: the first (total mod K) get one more. */
export function shareOf(total: number, bucket: number, buckets: number): number {
  if (buckets <= 1) return total;
  const base = Math.trunc(total / buckets);
  const rest = total - base * buckets;
  return base + (bucket < Math.abs(rest) ? Math.sign(rest) : 0);
}

/**
 * The campaign's budget left split among buckets holding stock worth `values` (fen, one per
 * bucket): each gets what its stock is worth and an even share of any surplus; a budget short
 * of the stock's worth is split in proportion to it (BigInt: budgets times values pass 2^53).
 * The shares add up to `budgetFen` exactly, so the buckets together never spend more.
 */
export function budgetShares(budgetFen: number, values: number[]): number[] {
  const buckets = values.length;
  if (buckets <= 1) return [budgetFen];
  const worth = values.reduce((sum, value) => sum + value, 0);
  if (budgetFen >= worth) return values.map((value, k) => value + shareOf(budgetFen - worth, k, buckets));
  if (budgetFen <= 0 || worth === 0) return values.map((_, k) => (k === 0 ? budgetFen : 0));
  const shares = values.map((value) => Number((BigInt(budgetFen) * BigInt(value)) / BigInt(worth)));
  let rest = budgetFen - shares.reduce((sum, share) => sum + share, 0);
  for (let k = 0; rest > 0; k = (k + 1) % buckets, rest -= 1) shares[k] += 1;
  return shares;
}
