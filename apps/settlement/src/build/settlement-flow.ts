import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, businessDayOf, isCalendarDate } from '@vouchers/common';
import { FlowProducer, Job, Queue } from 'bullmq';
import { SettlementErrorCode } from '../batches/settlement-errors';
import { SETTLEMENT_FLOW, SETTLEMENT_QUEUE, SettlementJob } from '../jobs/settlement-jobs';
import { BatchBuilder, OpenedBatch } from './batch-builder';

const RETRY = { attempts: 10, backoff: { type: 'exponential', delay: 1_000 } };
const KEEP = { removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 } };

/** The ids of a batch's build jobs: fixed per batch, so a flow is never added twice. */
export const buildJobIds = {
  finish: (batchId: string) => `finish-batch-${batchId}`,
  chunk: (batchId: string, chunkNo: number) => `build-chunk-${batchId}-${chunkNo}`,
};

/**
 * Starts a day's build as one BullMQ flow: a finish-batch parent over one build-chunk child
 * per chunk. Job ids derive from the batch, so starting a day twice (two workers, the
 * schedule and an official) adds nothing the second time; but starting a day whose build is
 * stuck (a job that ran out of retries, e.g. while Postgres was down) retries those jobs.
 */
@Injectable()
export class SettlementFlow {
  private readonly logger = new Logger(SettlementFlow.name);

  constructor(
    @InjectFlowProducer(SETTLEMENT_FLOW) private readonly flow: FlowProducer,
    @InjectQueue(SETTLEMENT_QUEUE) private readonly queue: Queue,
    @Inject(BatchBuilder) private readonly builder: BatchBuilder,
  ) {}

  /** Refuses (409 BUSINESS_DAY_NOT_OVER) a day that is not a real date or has not ended in Shanghai. */
  async start(businessDate: string): Promise<OpenedBatch> {
    if (!isCalendarDate(businessDate) || businessDate >= businessDayOf(new Date())) {
      throw AppError.conflict(SettlementErrorCode.DayNotOver, `${businessDate} is not a business day that has ended (Asia/Shanghai)`);
    }
    const batch = await this.builder.open(businessDate);
    if (batch.status !== 'building') return batch;
    const parent = await Job.fromId(this.queue, buildJobIds.finish(batch.batchId));
    if (parent) {
      await this.retryFailed(batch, parent);
      return batch;
    }
    await this.flow.add({
      name: SettlementJob.FinishBatch,
      queueName: SETTLEMENT_QUEUE,
      data: { batchId: batch.batchId },
      opts: { jobId: buildJobIds.finish(batch.batchId), ...RETRY, ...KEEP },
      children: batch.chunks.map((chunk) => ({
        name: SettlementJob.BuildChunk,
        queueName: SETTLEMENT_QUEUE,
        data: { batchId: batch.batchId, businessDate, chunk },
        opts: { jobId: buildJobIds.chunk(batch.batchId, chunk.chunkNo), ...RETRY, ...KEEP },
      })),
    });
    return batch;
  }

  /** The flow exists: give each of its jobs that ran out of retries another round. */
  private async retryFailed(batch: OpenedBatch, parent: Job): Promise<void> {
    const jobs = await Promise.all(batch.chunks.map((chunk) => Job.fromId(this.queue, buildJobIds.chunk(batch.batchId, chunk.chunkNo))));
    for (const job of [...jobs, parent]) {
      if (job && (await job.isFailed())) {
        this.logger.warn({ jobId: job.id, reason: job.failedReason }, 'retrying a settlement build job that had failed');
        await job.retry('failed');
      }
    }
  }
}
