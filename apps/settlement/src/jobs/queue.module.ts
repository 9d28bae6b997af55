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
    BullModule.registerFlowProducer({ name: SETTLEMENT_FLOW }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
