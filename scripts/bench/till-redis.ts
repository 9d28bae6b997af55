/**
 * Each voucher's current code nonce, written by the benchmarks that drive the till (bench:redeem,
 * bench:figures) as issuance writes it when it shows a code, but with nonces the benchmark knows
 * (it signs the codes). Each key is written by a command of its own, auto-pipelined per node by
 * the client (connectRedis with enableAutoPipelining, and the apps' key prefix): on a Redis Cluster
 * these keys are of many slots, which one pipeline cannot carry. The merchants' side of the till's
 * Redis is the platform's own rebuild (EligibilityIndex.rebuild, from the seeded rows).
 */
import type { Redis } from '@vouchers/redis';
import { codeNonceKey, NONCE_TTL_MS } from '@vouchers/voucher-code';

/** Writes in flight at once. */
const WRITES_AT_ONCE = 5_000;

/** Runs `write(i)` for i in [from, to), WRITES_AT_ONCE at a time. */
async function writeEach(from: number, to: number, write: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = from; start < to; start += WRITES_AT_ONCE) {
    await Promise.all(Array.from({ length: Math.min(WRITES_AT_ONCE, to - start) }, (_, k) => write(start + k)));
  }
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
