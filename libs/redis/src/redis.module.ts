import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import Redis, { Cluster, RedisOptions } from 'ioredis';
import { readLuaScripts, registerLuaScripts, SHARED_SCRIPTS_DIR } from './lua-scripts';
import { parseRedisUrl } from './redis-url';

/**
 * A client of one Redis or of a Redis Cluster, as REDIS_URL says: both speak the same commands,
 * and every key a command or script names together shares a hash tag (one Cluster slot).
 */
export type RedisClient = Redis | Cluster;

/** Injection token of the process's ioredis client (keys carry config.redisKeyPrefix). */
export const REDIS = Symbol('REDIS');

/** The longest any of our Redis connections waits between two reconnect attempts. */
export const RECONNECT_MAX_MS = 2_000;

/**
 * ioredis `retryStrategy` of every connection we open, BullMQ's included: 200 ms more each
 * attempt, at most RECONNECT_MAX_MS, so a connection is back within 2 s of Redis answering
 * again (BullMQ's own default backs off up to 20 s: a settlement worker could wait that long).
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 200, RECONNECT_MAX_MS);
}

/** Options of connectRedis: those that mean the same to one Redis and to a Cluster. */
export interface ConnectOptions {
  keyPrefix?: string;
  connectionName?: string;
  /** Per node connection; null waits for ever (BullMQ's blocking connections want it). */
  maxRetriesPerRequest?: number | null;
  enableAutoPipelining?: boolean;
  lazyConnect?: boolean;
}

/**
 * Opens a client for REDIS_URL: an ioredis `Redis` for redis:// (or rediss://), a `Cluster`
 * for redis-cluster://host:port,... (seed nodes; the client learns the rest and the slot map,
 * and follows a failover: MOVED and connection loss refresh the map). Reconnects follow
 * reconnectDelay in both cases.
 */
export function connectRedis(url: string, options: ConnectOptions = {}): RedisClient {
  const target = parseRedisUrl(url);
  if (target.kind === 'single') {
    // One Redis fails its queued commands after maxRetriesPerRequest reconnect attempts anyway:
    // from its first failure to connect, new ones fail at once.
    return failingFastWhenDown(new Redis(url, { ...options, retryStrategy: reconnectDelay }), options, ['ready', 'reconnecting']);
  }
  const { keyPrefix, enableAutoPipelining, lazyConnect, ...perNode } = options;
  const cluster = new Cluster(target.seeds, {
    ...(keyPrefix ? { keyPrefix } : {}),
    enableAutoPipelining,
    lazyConnect,
    clusterRetryStrategy: reconnectDelay,
    // While a master fails over, a command is retried on the new map at these intervals (and
    // at most maxRedirections times) rather than failed at once or held for long.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2_000,
    redisOptions: { ...target.options, ...perNode },
  });
  // The cluster's offline queue holds commands until it connects, however long: boot waits for
  // its first connection. A node that fails over leaves the cluster ready: its commands are
  // retried on the new map.
  return failingFastWhenDown(cluster, options, ['ready']);
}

/**
 * Commands sent before the client first connects wait for it (the offline queue); from the first
 * of `events`, one sent while Redis is unreachable fails at once rather than wait in that queue
 * through reconnect attempts (seconds, with a request and perhaps a row lock held behind it):
 * callers answer 503 with Retry-After and the client keeps reconnecting. Commands already sent
 * when a connection drops are still resent on the next one (or failed after maxRetriesPerRequest
 * attempts). Clients that wait for ever (maxRetriesPerRequest null: BullMQ's blocking
 * connections) keep their queue.
 */
function failingFastWhenDown<T extends RedisClient>(client: T, options: ConnectOptions, events: Array<'ready' | 'reconnecting'>): T {
  if (options.maxRetriesPerRequest === null) return client;
  const failFast = () => {
    client.options.enableOfflineQueue = false;
  };
  for (const event of events) client.once(event, failFast);
  return client;
}

export function createRedisClient(config: Pick<AppConfig, 'redisUrl' | 'redisKeyPrefix'>, name: string): RedisClient {
  const logger = new Logger(`Redis:${name}`);
  const client = connectRedis(config.redisUrl, {
    keyPrefix: config.redisKeyPrefix,
    connectionName: name,
    // Fail a command after two reconnect attempts rather than hold a request for seconds.
    maxRetriesPerRequest: 2,
    // Commands issued in the same tick leave in one write: under a rush this turns thousands
    // of small socket writes a second into a few, the grab's largest single cost before.
    enableAutoPipelining: true,
  });
  let lastLogged = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLogged > 10_000) {
      lastLogged = now;
      logger.warn(`Redis error: ${error.message}`);
    }
  });
  registerLuaScripts(client, readLuaScripts(SHARED_SCRIPTS_DIR));
  return client;
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RedisClient => createRedisClient(config, 'app'),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly client: RedisClient) {}

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}

/**
 * Connection options (not a client) for libraries that open and close their own connections,
 * such as BullMQ: a client handed to them would be left open at shutdown.
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const target = parseRedisUrl(url);
  if (target.kind === 'cluster') throw new Error('redisOptionsFromUrl: a Redis Cluster needs a Cluster client (connectRedis)');
  return target.options;
}
