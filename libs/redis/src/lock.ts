import type { RedisClient as Redis } from './redis.module';
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

/** Thrown by Lease.assertHeld once the lock may be someone else's: the work must stop writing. */
export class LockLostError extends Error {
  constructor(key: string, why: string) {
    super(`lock ${key} lost: ${why}`);
    this.name = 'LockLostError';
  }
}

/** What `work` holds: a lease it checks before each write it may only make while holding the lock. */
export interface Lease {
  /**
   * Throws LockLostError when the lock is no longer surely this holder's: a renewal found the
   * key gone or someone else's, or no renewal has succeeded for two thirds of the lease (Redis
   * unreachable), so that a third of it is left for the write that follows the check.
   */
  assertHeld(): void;
}

/**
 * Runs `work` holding the lock `key` (SET NX PX with a token of this call's own, a lease renewed
 * while it runs), and releases it after. Resolves null, without running `work`, when the lock
 * could not be had in time. Work that outlives its lease (renewals failed) learns it from
 * `lease.assertHeld()`, which then throws: a lock's key that expired may be another's already.
 */
export async function withRedisLock<T>(
  redis: Redis,
  key: string,
  options: RedisLockOptions,
  work: (lease: Lease) => Promise<T>,
): Promise<T | null> {
  const token = randomUUID();
  const giveUpAt = Date.now() + (options.waitMs ?? 0);
  let sentAt = Date.now();
  while ((await redis.set(key, token, 'PX', options.ttlMs, 'NX')) !== 'OK') {
    if (Date.now() >= giveUpAt) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    sentAt = Date.now();
  }
  // Counted from before the command was sent: Redis started the lease no earlier.
  let heldUntil = sentAt + options.ttlMs;
  let lost: string | null = null;
  const renewal = setInterval(() => {
    const renewedAt = Date.now();
    redis.eval(RENEW, 1, key, token, options.ttlMs).then(
      (renewed) => {
        if (Number(renewed) === 1) heldUntil = Math.max(heldUntil, renewedAt + options.ttlMs);
        else lost ??= 'the key expired or is held by someone else';
      },
      // A renewal that fails leaves the lease to run out: assertHeld refuses before it does.
      () => undefined,
    );
  }, Math.max(1, Math.floor(options.ttlMs / 3)));
  renewal.unref();
  const lease: Lease = {
    assertHeld() {
      if (lost === null && Date.now() > heldUntil - options.ttlMs / 3) lost = 'no renewal reached Redis in time';
      if (lost !== null) throw new LockLostError(key, lost);
    },
  };
  try {
    return await work(lease);
  } finally {
    clearInterval(renewal);
    // A release that fails (Redis unreachable) leaves the lease to run out, as after a crash.
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
