import { Redis } from '@vouchers/redis';
import { Cluster } from 'ioredis';

/**
 * The keys matching `pattern` (full names: pass a client without a key prefix), for tests to
 * look at what they wrote. SCAN is fine here, never in the apps: on a Redis Cluster each master
 * holds only its slots' keys, so every master is scanned.
 */
export async function keysMatching(redis: Redis, pattern: string): Promise<string[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const keys: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
  }
  return keys;
}

/** Deletes keys one command each, which a Cluster allows whatever their slots. */
export async function deleteKeys(redis: Redis, keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => redis.del(key)));
}

/** Deletes, in one script, an admission state's keys: those of fixed names and every one its index names. */
const LOSE_STATE = `
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('DEL', ARGV[1] .. member) end
for _, name in ipairs({ 'loaded', 'meta', 'pending', 'returned', 'lock', 'index' }) do redis.call('DEL', ARGV[1] .. name) end
return 1`;

/**
 * Loses one admission state at once, as a Redis (or a Cluster shard) restarted empty would:
 * `tag` is the state's full key prefix up to its names (`<prefix>{cmp:<id>:b<k>}:`), so all of
 * its keys share one slot. At once, so that no grab running meanwhile finds a state half gone
 * (a round key gone but the marker still there), which no real loss leaves.
 */
export async function loseStateAtOnce(redis: Redis, tag: string): Promise<void> {
  await redis.eval(LOSE_STATE, 1, `${tag}index`, tag);
}
