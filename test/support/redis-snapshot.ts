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

/**
 * Takes one admission state's keys (`pattern` names one hash tag, so one slot) while grabs
 * run: DUMP and PTTL of every key in one MULTI, so the keys agree with each other as an RDB
 * snapshot of that moment would. Keys created between the SCAN and the MULTI (a new person's
 * record) are missing, as from a snapshot a moment older. On a Cluster, each state taken so
 * is of its own moment, as each shard's snapshot is.
 */
export async function takeSnapshotAtOnce(redis: Redis, pattern: string): Promise<RedisSnapshot> {
  const keys = await keysMatching(redis, pattern);
  if (keys.length === 0) return [];
  const multi = redis.multi();
  for (const key of keys) multi.dumpBuffer(key).pttl(key);
  const replies = (await multi.exec()) ?? [];
  const snapshot: RedisSnapshot = [];
  keys.forEach((key, i) => {
    const [[dumpError, dump], [pttlError, pttl]] = [replies[2 * i], replies[2 * i + 1]];
    if (dumpError || pttlError) throw dumpError ?? pttlError;
    if (dump) snapshot.push({ key, dump: dump as Buffer, pttl: Number(pttl) });
  });
  return snapshot;
}
