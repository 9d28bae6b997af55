import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { redisOptionsFromUrl } from '@vouchers/redis';
import { SETTLEMENT_FLOW, SETTLEMENT_QUEUE } from './settlement-jobs';

/**
 * BullMQ opens (and closes) its own connections: no ioredis keyPrefix, no per-request retry limit. The
 * deployment's prefix goes into BullMQ's own `prefix`, with a hash tag so that every key of
 * a queue lands in one Redis Cluster slot.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: { ...redisOptionsFromUrl(config.redisUrl), maxRetriesPerRequest: null, connectionName: 'bullmq' },
        prefix: `${config.redisKeyPrefix}{bull}`,
      }),
    }),
    BullModule.registerQueue({ name: SETTLEMENT_QUEUE }),
    // close() already ends the connection; the extra forced disconnect first awaits a connection
    // that may never come (Redis down at shutdown) and would hang the app's shutdown.
    BullModule.registerFlowProducer({ name: SETTLEMENT_FLOW, forceDisconnectOnShutdown: false }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
