import { InjectFlowProducer } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { FlowProducer } from 'bullmq';
import { SETTLEMENT_FLOW, SETTLEMENT_QUEUE, SettlementJob } from '../jobs/settlement-jobs';
import { BatchBuilder, OpenedBatch } from './batch-builder';

const RETRY = { attempts: 10, backoff: { type: 'exponential', delay: 1_000 } };
const KEEP = { removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 } };

/**
 * Starts a day's build as one BullMQ flow: a finish-batch parent over one build-chunk child
 * per chunk. Job ids derive from the batch, so starting a day twice (two workers, the
 * schedule and an official) adds nothing the second time.
 */
@Injectable()
export class SettlementFlow {
  constructor(
    @InjectFlowProducer(SETTLEMENT_FLOW) private readonly flow: FlowProducer,
    @Inject(BatchBuilder) private readonly builder: BatchBuilder,
  ) {}

  async start(businessDate: string): Promise<OpenedBatch> {
    const batch = await this.builder.open(businessDate);
    if (batch.status !== 'building') return batch;
    await this.flow.add({
      name: SettlementJob.FinishBatch,
      queueName: SETTLEMENT_QUEUE,
      data: { batchId: batch.batchId },
      opts: { jobId: `finish-batch-${batch.batchId}`, ...RETRY, ...KEEP },
      children: batch.chunks.map((chunk) => ({
        name: SettlementJob.BuildChunk,
        queueName: SETTLEMENT_QUEUE,
        data: { batchId: batch.batchId, businessDate, chunk },
        opts: { jobId: `build-chunk-${batch.batchId}-${chunk.chunkNo}`, ...RETRY, ...KEEP },
      })),
    });
    return batch;
  }
}
