import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobSchedulerTemplateOptions, Queue, RepeatOptions } from 'bullmq';
import { SETTLEMENT_QUEUE, SettlementJob } from './settlement-jobs';

const HOUR_MS = 60 * 60 * 1000;

interface Schedule {
  id: string;
  repeat: Omit<RepeatOptions, 'key'>;
  name: SettlementJob;
  opts: JobSchedulerTemplateOptions;
}

const SCHEDULES: Schedule[] = [
  {
    id: 'ledger-balance-hourly',
    repeat: { every: HOUR_MS },
    name: SettlementJob.CheckLedgerBalance,
    opts: { removeOnComplete: { count: 48 }, removeOnFail: { count: 200 } },
  },
  // 01:30 in Shanghai: the day before has ended, and redemptions committing at midnight are in.
  {
    id: 'settle-day-nightly',
    repeat: { pattern: '0 30 1 * * *', tz: 'Asia/Shanghai' },
    name: SettlementJob.SettleDay,
    opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 60 }, removeOnFail: { count: 200 } },
  },
  // Hourly, at a quarter past: a voucher is refused at the till the moment it expires; this writes
  // it down within the hour. A run left half-done (worker killed, chunk failed) is resumed by the retry or the next hour's.
  {
    id: 'expire-vouchers-hourly',
    repeat: { pattern: '0 15 * * * *', tz: 'Asia/Shanghai' },
    name: SettlementJob.ExpireVouchers,
    opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 48 }, removeOnFail: { count: 200 } },
  },
  // 10:00 in Shanghai, daily: residents are up, and a day or two is left to use what expires. A run
  // stopped half-way (worker killed, gateway down) is resumed by the retry; what it sent is never sent again.
  {
    id: 'remind-expiring-vouchers-daily',
    repeat: { pattern: '0 0 10 * * *', tz: 'Asia/Shanghai' },
    name: SettlementJob.RemindExpiringVouchers,
    opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } },
  },
  // Every ten minutes from 08:00 to 21:50 in Shanghai: a draw's winners hear of it within minutes of
  // its publication, and one published in the evening is told in the morning, not in the night.
  {
    id: 'notify-lottery-winners',
    repeat: { pattern: '0 */10 8-21 * * *', tz: 'Asia/Shanghai' },
    name: SettlementJob.NotifyLotteryWinners,
    opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } },
  },
  // 00:30 in Shanghai: the day before is over (and CLOSE_GRACE_MS past); its parties, and its week's or month's, counted once.
  {
    id: 'close-figures-nightly',
    repeat: { pattern: '0 30 0 * * *', tz: 'Asia/Shanghai' },
    name: SettlementJob.CloseFigures,
    opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } },
  },
  // 03:00 in Shanghai, after the nightly build: the figures against a recount from the raw tables.
  {
    id: 'recount-figures-daily',
    repeat: { pattern: '0 0 3 * * *', tz: 'Asia/Shanghai' },
    name: SettlementJob.RecountFigures,
    opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } },
  },
  // 02:15 in Shanghai, daily: the coming months' partitions, months before they are needed.
  {
    id: 'ensure-partitions-daily',
    repeat: { pattern: '0 15 2 * * *', tz: 'Asia/Shanghai' },
    name: SettlementJob.EnsurePartitions,
    opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } },
  },
];

/**
 * Registers the recurring jobs. upsertJobScheduler is keyed by the scheduler id, so any
 * number of workers starting together still leave exactly one schedule per job. The schedules
 * live in Redis only: the build watchdog calls restoreMissing(), so a Redis that came back
 * empty gets them again without a worker restart.
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobSchedules.name);

  constructor(@InjectQueue(SETTLEMENT_QUEUE) private readonly queue: Queue) {}

  /** Settles once the start's registration has ended (registered, or failed and logged: the watchdog's restoreMissing() retries). */
  registered: Promise<void> = Promise.resolve();

  /**
   * Not awaited: a worker started while Redis is down waits here until Redis answers, and the
   * start must not wait with it, or the worker would not listen and its /health could not say
   * what is wrong (503 naming Redis) until then.
   */
  onApplicationBootstrap(): void {
    this.registered = this.registerAll().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not register the recurring settlement jobs at start; the build watchdog registers them');
    });
  }

  private async registerAll(): Promise<void> {
    for (const schedule of SCHEDULES) await this.register(schedule);
  }

  /** Registers again each schedule Redis no longer has; returns how many. */
  async restoreMissing(): Promise<number> {
    let restored = 0;
    for (const schedule of SCHEDULES) {
      if (await this.queue.getJobScheduler(schedule.id)) continue;
      await this.register(schedule);
      this.logger.warn({ scheduler: schedule.id }, 'a recurring settlement job was missing from Redis: registered again');
      restored += 1;
    }
    return restored;
  }

  private async register({ id, repeat, name, opts }: Schedule): Promise<void> {
    await this.queue.upsertJobScheduler(id, repeat, { name, data: {}, opts });
  }
}
