/**
 * What the till reads from Redis, written by the benchmarks that drive it (bench:redeem,
 * bench:figures) as the platform writes it: the merchants' entries in the eligibility index, and
 * each voucher's current code nonce. Each key is written by a command of its own, auto-pipelined
 * per node by the client (connectRedis with enableAutoPipelining, and the apps' key prefix): on a
 * Redis Cluster these keys are of many slots, which one pipeline cannot carry.
 */
import { eligibilityKeys } from '@vouchers/eligibility';
import type { Redis } from '@vouchers/redis';
import { CODE_POLICY, codeNonceKey } from '@vouchers/voucher-code';

/** What issuance gives a nonce (VoucherCodes.issue): the code's life, the skew, a minute more. */
export const NONCE_TTL_MS = (CODE_POLICY.ttlSeconds + CODE_POLICY.clockSkewSeconds + 60) * 1000;

/** Writes in flight at once. */
const WRITES_AT_ONCE = 5_000;

/** Runs `write(i)` for i in [from, to), WRITES_AT_ONCE at a time. */
async function writeEach(from: number, to: number, write: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = from; start < to; start += WRITES_AT_ONCE) {
    await Promise.all(Array.from({ length: Math.min(WRITES_AT_ONCE, to - start) }, (_, k) => write(start + k)));
  }
}

export interface ApprovedMerchant {
  merchant: string;
  district: string;
  category: string;
}

/** The merchants approved in the till's view (what review and import write), marked loaded once every one is in. */
export async function indexApprovedMerchants(redis: Redis, merchants: ApprovedMerchant[]): Promise<void> {
  await writeEach(0, merchants.length, (i) => {
    const { merchant, district, category } = merchants[i];
    return redis.hset(eligibilityKeys.merchant(merchant), { status: 'approved', district, category });
  });
  await redis.set(eligibilityKeys.loaded, '1');
}

/**
 * Stores each voucher's current nonce as issuance does when it shows a code; with `from`, only
 * renews the life of the nonces of vouchers `from` on, leaving their values alone.
 */
export async function storeNonces(redis: Redis, vouchers: string[], nonces: string[], from?: number): Promise<void> {
  await writeEach(from ?? 0, vouchers.length, (i) =>
    from === undefined ? redis.set(codeNonceKey(vouchers[i]), nonces[i], 'PX', NONCE_TTL_MS) : redis.pexpire(codeNonceKey(vouchers[i]), NONCE_TTL_MS),
  );
}
