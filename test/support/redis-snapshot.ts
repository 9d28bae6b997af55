import { Redis } from '@vouchers/redis';
import { deleteKeys, keysMatching } from './redis-keys';

/** Keys as Redis held them at one moment: what DUMP gives, with each key's time left to live. */
export type RedisSnapshot = Array<{ key: string; dump: Buffer; pttl: number }>;

/**
 * Takes the keys matching `pattern` (full names: pass a client without a key prefix) as an RDB
 * snapshot would, one DUMP each. Keys of one campaign change only through its scripts, and no
 * grab runs while a test takes it, so the keys are consistent with each other.
 */
export async function takeSnapshot(redis: Redis, pattern: string): Promise<RedisSnapshot> {
  const snapshot: RedisSnapshot = [];
  for (const key of await keysMatching(redis, pattern)) {
    const [dump, pttl] = await Promise.all([redis.dumpBuffer(key), redis.pttl(key)]);
    if (dump) snapshot.push({ key, dump, pttl });
  }
  return snapshot;
}

/**
 * Puts the keys matching `pattern` back as the snapshot held them, as a Redis restarted from
 * that snapshot (or a replica that lagged behind it) would: keys written since are gone, the
 * others hold their old values, and every key keeps its old expiry.
 */
export async function restoreSnapshot(redis: Redis, pattern: string, snapshot: RedisSnapshot): Promise<void> {
  const now = await keysMatching(redis, pattern);
  await deleteKeys(redis, now);
  for (const { key, dump, pttl } of snapshot) await redis.restore(key, pttl > 0 ? pttl : 0, dump, 'REPLACE');
}
