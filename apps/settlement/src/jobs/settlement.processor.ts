import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { AppError, previousBusinessDay } from '@vouchers/common';
import { loadConfig } from '@vouchers/config';
import { Job, UnrecoverableError } from 'bullmq';
import { BatchBuilder } from '../build/batch-builder';
import { SettlementFlow } from '../build/settlement-flow';
import { LedgerBalanceCheck } from './ledger-balance.check';
import { BuildChunkPayload, FinishBatchPayload, SETTLEMENT_QUEUE, SettleDayPayload, SettlementJob } from './settlement-jobs';

/** Worker options are fixed when the class is declared, so they come from the validated config directly. */
const lockDuration = loadConfig().jobLockMs;

/**
 * Runs settlement jobs, two at a time (a build's chunks run side by side: Postgres does the
 * work, one backend per chunk). Each job re-reads Postgres; payloads carry ids, never copies of rows.
 */
@Processor(SETTLEMENT_QUEUE, { concurrency: 2, lockDuration, stalledInterval: lockDuration })
export class SettlementProcessor extends WorkerHost {
  private readonly logger = new Logger(SettlementProcessor.name);

  constructor(
    @Inject(LedgerBalanceCheck) private readonly ledgerBalance: LedgerBalanceCheck,
    @Inject(SettlementFlow) private readonly flow: SettlementFlow,
    @Inject(BatchBuilder) private readonly builder: BatchBuilder,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as SettlementJob) {
      case SettlementJob.CheckLedgerBalance: {
        const report = await this.ledgerBalance.run();
        if (report.imbalanced.length > 0) {
          this.logger.error({ imbalanced: report.imbalanced.length }, 'ledger postings do not balance');
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
      default:
        // A job nobody handles would otherwise retry forever.
        throw new UnrecoverableError(`no handler for job ${job.name}`);
    }
  }
}
