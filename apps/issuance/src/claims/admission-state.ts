import { Redis } from '@vouchers/redis';
import { randomUUID } from 'node:crypto';
import { admissionKeys } from './admission-keys';

const LOCK_MS = 120_000;
const LOCK_POLL_MS = 50;

const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * Runs `work` holding the campaign's state lock, which rebuilds and expiry moves share so that
 * neither writes over the other. Waits up to `waitMs` for it; resolves null when it could not
 * be had (someone else holds it).
 */
export async function withStateLock<T>(redis: Redis, campaignId: string, waitMs: number, work: () => Promise<T>): Promise<T | null> {
  const lock = admissionKeys(campaignId).rebuildLock;
  const token = randomUUID();
  const giveUpAt = Date.now() + waitMs;
  while ((await redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
    if (Date.now() >= giveUpAt) return null;
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  try {
    return await work();
  } finally {
    // Compare-and-delete, so a lock that expired and was taken by another process stays theirs.
    await redis.eval(RELEASE, 1, lock, token);
  }
}

/**
 * Hands every key of the campaign's state to `use` (unprefixed), a SCAN page at a time, but
 * the lock and any key `except` names. SCAN's MATCH pattern and the keys it returns are not
 * prefixed by ioredis, so `keyPrefix` is the client's.
 */
export async function eachStateKey(
  redis: Redis,
  keyPrefix: string,
  campaignId: string,
  use: (keys: string[]) => Promise<void>,
  except: string[] = [],
): Promise<void> {
  const skipped = new Set([admissionKeys(campaignId).rebuildLock, ...except].map((key) => `${keyPrefix}${key}`));
  const pattern = `${keyPrefix}{cmp:${campaignId}}:*`;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    const keys = found.filter((key) => !skipped.has(key)).map((key) => key.slice(keyPrefix.length));
    if (keys.length > 0) await use(keys);
    cursor = next;
  } while (cursor !== '0');
}
