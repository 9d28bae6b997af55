import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

const POLL_MS = 50;
/** Compare-and-delete: a lock that expired and was taken by someone else stays theirs. */
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export interface RedisLockOptions {
  /** How long the lock holds if its holder dies without releasing it. */
  ttlMs: number;
  /** How long to wait for a lock someone else holds; 0 (the default) gives up at once. */
  waitMs?: number;
}

/**
 * Runs `work` holding the lock `key` (SET NX PX with a token of this call's own), and releases
 * it after. Resolves null, without running `work`, when the lock could not be had in time.
 */
export async function withRedisLock<T>(redis: Redis, key: string, options: RedisLockOptions, work: () => Promise<T>): Promise<T | null> {
  const token = randomUUID();
  const giveUpAt = Date.now() + (options.waitMs ?? 0);
  while ((await redis.set(key, token, 'PX', options.ttlMs, 'NX')) !== 'OK') {
    if (Date.now() >= giveUpAt) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE, 1, key, token);
  }
}
