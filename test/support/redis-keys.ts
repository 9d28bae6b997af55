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
