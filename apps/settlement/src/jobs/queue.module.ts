import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { QueueConnection, QueueConnectionModule } from './queue-connection';
import { QueueErrorLog } from './queue-error-log';
import { SETTLEMENT_FLOW, SETTLEMENT_QUEUE } from './settlement-jobs';

/**
 * BullMQ's connection (QueueConnection: options on one Redis, a Cluster client on a cluster) has
 * no ioredis keyPrefix and no per-request retry limit. The deployment's prefix goes into
 * BullMQ's own `prefix`, with a hash tag so that every key of a queue lands in one Redis
 * Cluster slot. Reconnects follow ours (at most 2 s apart), not BullMQ's default (up to 20 s),
 * so a build is not held that long after Redis is back.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      imports: [QueueConnectionModule],
      inject: [AppConfig, QueueConnection],
      useFactory: (config: AppConfig, queue: QueueConnection) => ({
        connection: queue.connection,
        prefix: `${config.redisKeyPrefix}{bull}`,
      }),
    }),
    BullModule.registerQueue({ name: SETTLEMENT_QUEUE }),
    // close() already ends the connection; the extra forced disconnect first awaits a connection
    // that may never come (Redis down at shutdown) and would hang the app's shutdown.
    BullModule.registerFlowProducer({ name: SETTLEMENT_FLOW, forceDisconnectOnShutdown: false }),
  ],
  providers: [QueueErrorLog],
  exports: [BullModule],
})
export class QueueModule {}
