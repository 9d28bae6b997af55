import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { FlowProducer, Job, Queue } from 'bullmq';
import { BuildChunkPayload, SETTLEMENT_FLOW, SETTLEMENT_QUEUE, SettlementJob } from '../jobs/settlement-jobs';
import { BatchBuilder, BatchStarter, ChunkPlan, OpenedBatch } from './batch-builder';
import { refusalOfDay } from './settleable-day';

const RETRY = { attempts: 10, backoff: { type: 'exponential', delay: 1_000 } };
const KEEP = { removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 } };

/** The ids of a batch's build jobs: fixed per batch, so a flow is never added twice. */
export const buildJobIds = {
  finish: (batchId: string) => `finish-batch-${batchId}`,
  chunk: (batchId: string, chunkNo: number) => `build-chunk-${batchId}-${chunkNo}`,
};

/** What resume() had to do for a batch; all zero when its build was on its way. */
export interface Resumed {
  /** The whole flow was added: Redis had no finish job for the batch. */
  flowAdded: boolean;
  /** Chunk jobs that were missing under an existing finish job, added again. */
  chunksAdded: number;
  /** Jobs that had failed for good (out of retries, or stalled too often), retried. */
  retried: number;
}

/**
 * Starts a day's build as one BullMQ flow: a finish-batch parent over one build-chunk child
 * per chunk. Job ids derive from the batch, so starting a day twice (two workers, the
 * schedule and an official) adds nothing the second time. Postgres is the truth of what a
 * build still needs: resume() puts back whatever of it the queue lost or gave up on, and runs
 * both when a day is started again and from the worker's build watchdog.
 */
@Injectable()
export class SettlementFlow {
  private readonly logger = new Logger(SettlementFlow.name);

  constructor(
    @InjectFlowProducer(SETTLEMENT_FLOW) private readonly flow: FlowProducer,
    @InjectQueue(SETTLEMENT_QUEUE) private readonly queue: Queue,
    @Inject(BatchBuilder) private readonly builder: BatchBuilder,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Opens the day's batch (or finds it) and makes sure its build runs; refuses a day refusalOfDay refuses. */
  async start(businessDate: string, startedBy?: BatchStarter): Promise<OpenedBatch> {
    const refusal = refusalOfDay(businessDate, new Date(), this.config);
    if (refusal) throw refusal;
    const batch = await this.builder.open(businessDate, startedBy);
    if (batch.status === 'building') await this.resume(batch);
    return batch;
  }

  /**
   * Makes sure every job a building batch still needs is in the queue, and none is stuck as
   * failed: no finish job (Redis lost its data, or the flow was never added): the whole flow;
   * a finish job whose chunk jobs are partly gone: those chunks, under it; a job that ran out
   * of retries (e.g. while Postgres was down) or stalled too often: retried. Adding a job
   * that exists does nothing (ids derive from the batch), and a chunk that had committed
   * records itself, so running it again changes nothing.
   */
  async resume(batch: OpenedBatch): Promise<Resumed> {
    const resumed: Resumed = { flowAdded: false, chunksAdded: 0, retried: 0 };
    const parent = await Job.fromId(this.queue, buildJobIds.finish(batch.batchId));
    if (!parent) {
      await this.addFlow(batch);
      this.logger.warn({ batchId: batch.publicId, chunks: batch.chunks.length }, 'settlement build jobs were missing from the queue: added again');
      return { ...resumed, flowAdded: true };
    }
    const chunks = await Promise.all(batch.chunks.map((chunk) => Job.fromId(this.queue, buildJobIds.chunk(batch.batchId, chunk.chunkNo))));
    for (const [index, job] of chunks.entries()) {
      if (job) continue;
      // Under the existing parent: BullMQ adds it to the parent's dependencies, which then waits for it.
      const chunk = batch.chunks[index];
      await this.queue.add(SettlementJob.BuildChunk, this.chunkPayload(batch, chunk), {
        ...this.chunkOpts(batch, chunk),
        parent: { id: parent.id as string, queue: this.queue.qualifiedName },
      });
      resumed.chunksAdded += 1;
    }
    if (resumed.chunksAdded > 0) this.logger.warn({ batchId: batch.publicId, chunks: resumed.chunksAdded }, 'settlement chunk jobs were missing: added again');
    for (const job of [...chunks, parent]) {
      if (job && (await job.isFailed())) {
        this.logger.warn({ jobId: job.id, reason: job.failedReason }, 'retrying a settlement build job that had failed');
        await job.retry('failed');
        resumed.retried += 1;
      }
    }
    return resumed;
  }

  private async addFlow(batch: OpenedBatch): Promise<void> {
    await this.flow.add({
      name: SettlementJob.FinishBatch,
      queueName: SETTLEMENT_QUEUE,
      data: { batchId: batch.batchId },
      opts: { jobId: buildJobIds.finish(batch.batchId), ...RETRY, ...KEEP },
      children: batch.chunks.map((chunk) => ({
        name: SettlementJob.BuildChunk,
        queueName: SETTLEMENT_QUEUE,
        data: this.chunkPayload(batch, chunk),
        opts: this.chunkOpts(batch, chunk),
      })),
    });
  }

  private chunkPayload(batch: OpenedBatch, chunk: ChunkPlan): BuildChunkPayload {
    return { batchId: batch.batchId, businessDate: batch.businessDate, chunk };
  }

  private chunkOpts(batch: OpenedBatch, chunk: ChunkPlan) {
    return { jobId: buildJobIds.chunk(batch.batchId, chunk.chunkNo), ...RETRY, ...KEEP };
  }
}
