import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { BatchBuilder } from '../build/batch-builder';
import { SettlementFlow } from '../build/settlement-flow';
import { JobSchedules } from './job-schedules';
import { recoveryTiming } from './recovery-timing';

/**
 * Resumes interrupted settlement builds without anybody starting the day again. Redis is not
 * the record of a build, Postgres is: every `watchdogMs` (2/10 of JOB_LOCK_MS) this timer
 * of the worker process, which needs nothing from Redis to fire, reads the batches still
 * `building` and has SettlementFlow.resume() put back what the queue lost (all of a flow
 * when Redis came back empty; chunk jobs gone from under their finish job) and retry what
 * failed for good; and it registers again the recurring jobs if Redis lost them. So an
 * interrupted build is running again within JOB_LOCK_MS + 2 s of Redis answering again
 * (recovery-timing.ts). Every worker runs one; what they add is idempotent, so two at once
 * add nothing twice.
 */
@Injectable()
export class BuildWatchdog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BuildWatchdog.name);
  private readonly everyMs: number;
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    @Inject(BatchBuilder) private readonly builder: BatchBuilder,
    @Inject(SettlementFlow) private readonly flow: SettlementFlow,
    @Inject(JobSchedules) private readonly schedules: JobSchedules,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.everyMs = recoveryTiming(config.jobLockMs).watchdogMs;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round; a round still running (its Redis commands wait while Redis is down) is not overlapped. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const batch of await this.builder.building()) {
        if (this.timer === null) return;
        // One batch's trouble (another worker retried the same job a moment before) must not hold up the others.
        await this.flow.resume(batch).catch((error: unknown) => this.logger.warn({ err: error, batchId: batch.publicId }, 'could not resume a settlement build; trying again next round'));
      }
      await this.schedules.restoreMissing();
    } catch (error) {
      this.logger.warn({ err: error }, 'settlement build watchdog round failed; the next one tries again');
    } finally {
      this.ticking = false;
    }
  }
}
