import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import Redis, { RedisOptions } from 'ioredis';
import { readLuaScripts, registerLuaScripts, SHARED_SCRIPTS_DIR } from './lua-scripts';

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

export function createRedisClient(config: Pick<AppConfig, 'redisUrl' | 'redisKeyPrefix'>, name: string): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(config.redisUrl, {
    keyPrefix: config.redisKeyPrefix,
    connectionName: name,
    // Fail a command after two reconnect attempts rather than hold a request for seconds.
    maxRetriesPerRequest: 2,
    // Commands issued in the same tick leave in one write: under a rush this turns thousands
    // of small socket writes a second into a few, the grab's largest single cost before.
    enableAutoPipelining: true,
    retryStrategy: reconnectDelay,
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
      useFactory: (config: AppConfig): Redis => createRedisClient(config, 'app'),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly client: Redis) {}

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}

/**
 * Connection options (not a client) for libraries that open and close their own connections,
 * such as BullMQ: a client handed to them would be left open at shutdown.
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
