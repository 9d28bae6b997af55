/**
 * The Redis a benchmark runs against (bench:rush, bench:redeem), of the run's own so that its
 * processes' CPU is the run's alone: one redis-server (the fault run's PrivateRedis), or a Redis
 * Cluster of 3 masters and 3 replicas started by scripts/redis-cluster.cjs.
 */
import { connectRedis, Redis } from '@vouchers/redis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivateRedis } from '../chaos/private-redis';
import type { freeBasePort as FreeBasePort, startRedisCluster as StartRedisCluster } from '../redis-cluster.cjs';
import { ROOT } from './bench-kit';

export interface RedisUnderTest {
  /** REDIS_URL for the apps: redis://… or redis-cluster://h:p,h:p,… */
  url: string;
  /** Every redis-server process of it. */
  pids: () => number[];
  /** A client of the bench's own (readiness checks). */
  client: () => Redis;
  stop: () => Promise<void>;
}

export async function startSingleRedis(): Promise<RedisUnderTest> {
  const redis = await PrivateRedis.startEmpty();
  return {
    url: redis.url,
    pids: () => (redis.pid === undefined ? [] : [redis.pid]),
    client: () => connectRedis(redis.url),
    stop: () => redis.stop(),
  };
}

/** A cluster on `basePort` and the five ports after it; on six free ones when left out. */
export async function startClusterRedis(basePort?: number): Promise<RedisUnderTest> {
  // Required from the checkout: the build does not copy .cjs files into dist/.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startRedisCluster, freeBasePort } = require(join(ROOT, 'scripts/redis-cluster.cjs')) as {
    startRedisCluster: typeof StartRedisCluster;
    freeBasePort: typeof FreeBasePort;
  };
  const cluster = await startRedisCluster({ basePort: basePort ?? (await freeBasePort()), dir: mkdtempSync(join(tmpdir(), 'bench-cluster-')) });
  return {
    url: cluster.url,
    pids: () => cluster.pids,
    client: () => connectRedis(cluster.url),
    stop: async () => {
      await cluster.stop();
    },
  };
}
