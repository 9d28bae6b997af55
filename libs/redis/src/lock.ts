import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

const POLL_MS = 50;
/** Compare-and-delete: a lock that expired and was taken by someone else stays theirs. */
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
/** Compare-and-extend: only the holder renews its lease. */
const RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

export interface RedisLockOptions {
  /**
   * The lease: how long the lock outlives a holder that died, or one that Redis no longer knows
   * is running (a restart from an old snapshot brings back locks whose holders are long gone).
   * While `work` runs the lease is renewed every third of it, so work may take longer.
   */
  ttlMs: number;
  /** How long to wait for a lock someone else holds; 0 (the default) gives up at once. */
  waitMs?: number;
}

/**
 * Runs `work` holding the lock `key` (SET NX PX with a token of this call's own, a lease renewed
 * while it runs), and releases it after. Resolves null, without running `work`, when the lock could not be had in time.
 */
export async function withRedisLock<T>(redis: Redis, key: string, options: RedisLockOptions, work: () => Promise<T>): Promise<T | null> {
  const token = randomUUID();
  const giveUpAt = Date.now() + (options.waitMs ?? 0);
  while ((await redis.set(key, token, 'PX', options.ttlMs, 'NX')) !== 'OK') {
    if (Date.now() >= giveUpAt) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const renewal = setInterval(() => {
    // A renewal that fails leaves the lease to run out: the lock is then free for others, as after a crash.
    redis.eval(RENEW, 1, key, token, options.ttlMs).catch(() => undefined);
  }, Math.max(1, Math.floor(options.ttlMs / 3)));
  renewal.unref();
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await redis.eval(RELEASE, 1, key, token);
  }
}
