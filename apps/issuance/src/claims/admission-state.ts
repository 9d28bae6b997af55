import { Lease, Redis, withRedisLock } from '@vouchers/redis';
import { admissionKeys } from './admission-keys';

/**
 * The state lock's lease, renewed while its holder works: a lock whose holder died, or that an
 * old snapshot brought back, frees itself this long after, and the rebuild it held up runs.
 */
export const STATE_LOCK_MS = 10_000;

/**
 * Runs `work` holding the campaign's state lock, which rebuilds and syncs share so that
 * neither writes over the other. Waits up to `waitMs` for it; resolves null when it could not
 * be had (someone else holds it). `work` checks the lease before it writes (lease.assertHeld):
 * once renewals fail, the lock may lapse and be another's, and the check throws first.
 */
export function withStateLock<T>(redis: Redis, campaignId: string, waitMs: number, work: (lease: Lease) => Promise<T>): Promise<T | null> {
  return withRedisLock(redis, admissionKeys(campaignId).stateLock, { ttlMs: STATE_LOCK_MS, waitMs }, work);
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
  const skipped = new Set([admissionKeys(campaignId).stateLock, ...except].map((key) => `${keyPrefix}${key}`));
  const pattern = `${keyPrefix}{cmp:${campaignId}}:*`;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    const keys = found.filter((key) => !skipped.has(key)).map((key) => key.slice(keyPrefix.length));
    if (keys.length > 0) await use(keys);
    cursor = next;
  } while (cursor !== '0');
}
