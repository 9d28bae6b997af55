import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { connectRedis, isClusterUrl, reconnectDelay, redisOptionsFromUrl } from '@vouchers/redis';
import type { ConnectionOptions } from 'bullmq';
import type { Cluster } from 'ioredis';

/**
 * BullMQ's connection. On one Redis, options: BullMQ opens (and closes) its own connections.
 * On a Redis Cluster BullMQ wants a Cluster client, which it shares between queues and
 * duplicates for each worker's blocking reads; it never closes a client handed to it, so this
 * provider does at shutdown. Its module lies below BullModule's, and Nest shuts modules down
 * from the root outwards: the workers and queues close first.
 */
@Injectable()
export class QueueConnection implements OnApplicationShutdown {
  readonly connection: ConnectionOptions;
  private readonly cluster: Cluster | null = null;

  constructor(@Inject(AppConfig) config: AppConfig) {
    if (isClusterUrl(config.redisUrl)) {
      // No keyPrefix (BullMQ refuses one: the deployment's goes into its own `prefix`); no per-request retry limit.
      this.cluster = connectRedis(config.redisUrl, { connectionName: 'bullmq', maxRetriesPerRequest: null }) as Cluster;
      this.connection = this.cluster;
    } else {
      this.connection = { ...redisOptionsFromUrl(config.redisUrl), maxRetriesPerRequest: null, retryStrategy: reconnectDelay, connectionName: 'bullmq' };
    }
  }

  onApplicationShutdown(): void {
    this.cluster?.disconnect();
  }
}

@Module({ providers: [QueueConnection], exports: [QueueConnection] })
export class QueueConnectionModule {}
