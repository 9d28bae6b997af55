import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, Provider } from '@nestjs/common';
import { AppError, previousBusinessDay } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { Job, UnrecoverableError } from 'bullmq';
import { hostname } from 'node:os';
import { BatchBuilder } from '../build/batch-builder';
import { PartyCounts } from '../figures/party-counts';
import { FiguresRecount } from '../figures/recount.check';
import { SettlementFlow } from '../build/settlement-flow';
import { VoucherExpiry } from '../expiry/voucher-expiry';
import { ExpiryReminders } from '../reminders/expiry-reminders';
import { LotteryWonNotices } from '../reminders/lottery-won-notices';
import { MonthPartitions } from '../partitions/month-partitions';
import { checkedRange } from '../reconciliation/reconciliation-range';
import { WorkerMetrics } from '../watch/worker-metrics';
import { LedgerBalanceCheck } from './ledger-balance.check';
import { quietErrorLog } from './queue-error-log';
import { recoveryTiming } from './recovery-timing';
import { BuildChunkPayload, CloseFiguresPayload, FinishBatchPayload, RecountFiguresPayload, SETTLEMENT_QUEUE, SettleDayPayload, SettlementJob } from './settlement-jobs';

/** The days the nightly close-figures run looks back over: a night missed is made up by the next. */
const CLOSE_DAYS = 7;
const dayBefore = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** A worker's name, its host and process: BullMQ stamps it on each job it takes (processedBy) and on its Redis client. */
export const workerNameOf = (pid: number): string => `settlement-worker@${hostname()}:${pid}`;

/**
 * Runs settlement jobs, two at a time (a build's chunks run side by side: Postgres does the
 * work, one backend per chunk). Each job re-reads Postgres; payloads carry ids, never copies of rows.
 * Declared a BullMQ processor by settlementProcessorProvider, with the worker options of the configuration.
 */
export class SettlementProcessor extends WorkerHost {
  private readonly logger = new Logger(SettlementProcessor.name);
  private readonly logError = quietErrorLog(this.logger, 'settlement worker');

  constructor(
    @Inject(LedgerBalanceCheck) private readonly ledgerBalance: LedgerBalanceCheck,
    @Inject(SettlementFlow) private readonly flow: SettlementFlow,
    @Inject(BatchBuilder) private readonly builder: BatchBuilder,
    @Inject(WorkerMetrics) private readonly metrics: WorkerMetrics,
    @Inject(VoucherExpiry) private readonly expiry: VoucherExpiry,
    @Inject(FiguresRecount) private readonly recount: FiguresRecount,
    @Inject(PartyCounts) private readonly partyCounts: PartyCounts,
    @Inject(MonthPartitions) private readonly partitions: MonthPartitions,
    @Inject(ExpiryReminders) private readonly reminders: ExpiryReminders,
    @Inject(LotteryWonNotices) private readonly lotteryWon: LotteryWonNotices,
  ) {
    super();
  }

  /** This worker's stalled check found a job whose worker died or hung, and moved it back. */
  @OnWorkerEvent('stalled')
  onStalled(): void {
    this.metrics.jobStalled();
  }

  /** Redis down, or a job's completion lost with Redis' data (the watchdog adds the job again). */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logError(error);
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as SettlementJob) {
      case SettlementJob.CheckLedgerBalance: {
        const report = await this.ledgerBalance.run();
        this.metrics.ledgerChecked(report);
        if (report.imbalancedPostings > 0) {
          this.logger.error({ imbalanced: report.imbalancedPostings, imbalanceFen: report.imbalanceFen }, 'ledger postings do not balance');
        }
        return report;
      }
      case SettlementJob.SettleDay: {
        const { businessDate = previousBusinessDay(new Date()) } = job.data as SettleDayPayload;
        const batch = await this.flow.start(businessDate).catch((error: unknown) => {
          // A day that cannot be settled stays so: no retries.
          throw error instanceof AppError ? new UnrecoverableError(error.message) : error;
        });
        return { batchId: batch.publicId, status: batch.status, chunks: batch.chunks.length };
      }
      case SettlementJob.BuildChunk: {
        const { batchId, businessDate, chunk } = job.data as BuildChunkPayload;
        return this.builder.buildChunk(batchId, businessDate, chunk);
      }
      case SettlementJob.FinishBatch: {
        const { batchId } = job.data as FinishBatchPayload;
        if (!(await this.builder.finish(batchId))) throw new Error(`batch ${batchId} still has chunks to build`);
        return { batchId };
      }
      case SettlementJob.ExpireVouchers:
        // Counted chunk by chunk as each commits, so a run that fails later still shows what it did.
        return this.expiry.run((chunk) => this.metrics.vouchersExpired(chunk));
      case SettlementJob.RemindExpiringVouchers:
        // Counted send by send as each is recorded, so a run stopped later still shows what it sent.
        return this.reminders.run((outcome) => this.metrics.reminderSent(outcome));
      case SettlementJob.NotifyLotteryWinners:
        return this.lotteryWon.run((outcome) => this.metrics.lotteryWonSent(outcome));
      case SettlementJob.RecountFigures: {
        const report = await this.recount.run(job.data as RecountFiguresPayload);
        this.metrics.figuresRecounted(report);
        if (report.mismatches > 0) {
          const first = { first: report.differences.slice(0, 5), firstPeriods: report.periodDifferences.slice(0, 5), firstPeriodTotals: report.periodTotalDifferences.slice(0, 5) };
          this.logger.error({ from: report.from, to: report.to, mismatches: report.mismatches, ...first }, 'figures differ from a recount');
        }
        return { from: report.from, to: report.to, mismatches: report.mismatches, periodMismatches: report.periodMismatches };
      }
      case SettlementJob.CloseFigures: {
        const { from, to } = job.data as CloseFiguresPayload;
        const last = to ?? previousBusinessDay(new Date());
        return this.partyCounts.close(checkedRange(from ?? dayBefore(last, CLOSE_DAYS - 1), last));
      }
      case SettlementJob.EnsurePartitions:
        return this.partitions.run();
      default:
        // A job nobody handles would otherwise retry forever.
        throw new UnrecoverableError(`no handler for job ${job.name}`);
    }
  }
}

/**
 * @nestjs/bullmq reads a worker's options from its class's @Processor decorator, so the class is
 * declared here, when the providers are built from the validated config, never at import. Lock,
 * stalled check and retry delay are set so that a dead worker's jobs are back in the queue
 * within JOB_LOCK_MS (see recovery-timing.ts for why).
 */
export const settlementProcessorProvider: Provider = {
  provide: SettlementProcessor,
  inject: [
    AppConfig,
    LedgerBalanceCheck,
    SettlementFlow,
    BatchBuilder,
    WorkerMetrics,
    VoucherExpiry,
    FiguresRecount,
    PartyCounts,
    MonthPartitions,
    ExpiryReminders,
    LotteryWonNotices,
  ],
  useFactory: (
    config: AppConfig,
    ledgerBalance: LedgerBalanceCheck,
    flow: SettlementFlow,
    builder: BatchBuilder,
    metrics: WorkerMetrics,
    expiry: VoucherExpiry,
    recount: FiguresRecount,
    partyCounts: PartyCounts,
    partitions: MonthPartitions,
    reminders: ExpiryReminders,
    lotteryWon: LotteryWonNotices,
  ) => {
    const { lockDuration, stalledInterval, maxStalledCount, runRetryDelay } = recoveryTiming(config.jobLockMs);
    const options = { name: workerNameOf(process.pid), concurrency: 2, lockDuration, stalledInterval, maxStalledCount, runRetryDelay };
    @Processor(SETTLEMENT_QUEUE, options)
    class ConfiguredSettlementProcessor extends SettlementProcessor {}
    return new ConfiguredSettlementProcessor(ledgerBalance, flow, builder, metrics, expiry, recount, partyCounts, partitions, reminders, lotteryWon);
  },
};
