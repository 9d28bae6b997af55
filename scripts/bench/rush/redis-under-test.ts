/**
 * The Redis a rush runs against, of the run's own so that its processes' CPU is the rush's
 * alone: one redis-server (the fault run's PrivateRedis), or a Redis Cluster started by
 * scripts/redis-cluster.cjs (`startRedisCluster({ basePort, dir })`), required only when
 * `--cluster` asks for it, so this benchmark runs on a checkout that has no cluster support yet.
 */
import Redis, { Cluster } from 'ioredis';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivateRedis } from '../../chaos/private-redis';
import { ROOT } from '../bench-kit';

export interface RedisUnderTest {
  /** REDIS_URL for the apps: redis://… or redis-cluster://h:p,h:p,… */
  url: string;
  /** Every redis-server process of it. */
  pids: () => number[];
  /** A client of the bench's own (readiness checks). */
  client: () => Redis | Cluster;
  stop: () => Promise<void>;
}

interface StartedCluster {
  url: string;
  pids: number[] | (() => number[]);
  stop: () => Promise<void> | void;
}

const CLUSTER_SCRIPT = join(ROOT, 'scripts/redis-cluster.cjs');

/** Throws, saying why, when this checkout cannot start a Redis Cluster. */
export function assertClusterAvailable(): void {
  if (!existsSync(CLUSTER_SCRIPT)) {
    throw new Error(`--cluster needs ${CLUSTER_SCRIPT} (startRedisCluster, the Redis Cluster support of issue 21), which this checkout does not have`);
  }
}

export async function startSingleRedis(): Promise<RedisUnderTest> {
  const redis = await PrivateRedis.startEmpty();
  return {
    url: redis.url,
    pids: () => (redis.pid === undefined ? [] : [redis.pid]),
    client: () => new Redis(redis.url),
    stop: () => redis.stop(),
  };
}

export async function startClusterRedis(basePort: number): Promise<RedisUnderTest> {
  assertClusterAvailable();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startRedisCluster } = require(CLUSTER_SCRIPT) as { startRedisCluster: (options: { basePort: number; dir: string }) => Promise<StartedCluster> };
  const cluster = await startRedisCluster({ basePort, dir: mkdtempSync(join(tmpdir(), 'bench-rush-cluster-')) });
  const seeds = cluster.url
    .replace(/^redis-cluster:\/\//, '')
    .split(',')
    .map((hostPort) => ({ host: hostPort.slice(0, hostPort.lastIndexOf(':')), port: Number(hostPort.slice(hostPort.lastIndexOf(':') + 1)) }));
  return {
    url: cluster.url,
    pids: () => (typeof cluster.pids === 'function' ? cluster.pids() : cluster.pids),
    client: () => new Cluster(seeds),
    stop: async () => {
      await cluster.stop();
    },
  };
}
