import { Lease, Redis, withRedisLock } from '@vouchers/redis';
import { admissionKeys, indexedKey } from './admission-keys';

/**
 * The state lock's lease, renewed while its holder works: a lock whose holder died, or that an
 * old snapshot brought back, frees itself this long after, and the rebuild it held up runs.
 */
export const STATE_LOCK_MS = 10_000;

/** Index members read per SSCAN page, and so keys handed to `use` at most (plus the fixed ones). */
const INDEX_PAGE = 1_000;

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
 * Hands every key of the campaign's state to `use` (unprefixed), a page at a time, but the lock
 * and any key `except` names: first the keys of fixed names, then the round and person keys
 * the index lists (SSCAN over that one set, never over the keyspace: it works unchanged on a
 * Redis Cluster, where the campaign's keys share the slot of its hash tag), the index itself
 * last. All keys of one page share that slot, so a multi-key command over a page is allowed.
 */
export async function eachStateKey(redis: Redis, campaignId: string, use: (keys: string[]) => Promise<void>, except: string[] = []): Promise<void> {
  const keys = admissionKeys(campaignId);
  const skipped = new Set(except);
  const fixed = [keys.loaded, keys.meta, keys.pending, keys.returned].filter((key) => !skipped.has(key));
  if (fixed.length > 0) await use(fixed);
  let cursor = '0';
  do {
    const [next, members] = await redis.sscan(keys.index, cursor, 'COUNT', INDEX_PAGE);
    const found = members.map((member) => indexedKey(campaignId, member)).filter((key) => !skipped.has(key));
    if (found.length > 0) await use(found);
    cursor = next;
  } while (cursor !== '0');
  if (!skipped.has(keys.index)) await use([keys.index]);
}
