import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { SETTLEMENT_QUEUE, SettlementJob } from './settlement-jobs';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Registers the recurring jobs. upsertJobScheduler is keyed by the scheduler id, so any
 * number of workers starting together still leave exactly one schedule per job.
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(SETTLEMENT_QUEUE) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'ledger-balance-hourly',
      { every: HOUR_MS },
      {
        name: SettlementJob.CheckLedgerBalance,
        data: {},
        opts: { removeOnComplete: { count: 48 }, removeOnFail: { count: 200 } },
      },
    );
    // 01:30 in Shanghai: the day before has ended, and redemptions committing at midnight are in.
    await this.queue.upsertJobScheduler(
      'settle-day-nightly',
      { pattern: '0 30 1 * * *', tz: 'Asia/Shanghai' },
      {
        name: SettlementJob.SettleDay,
        data: {},
        opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 60 }, removeOnFail: { count: 200 } },
      },
    );
  }
}
