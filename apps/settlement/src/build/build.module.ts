import { Module } from '@nestjs/common';
import { QueueModule } from '../jobs/queue.module';
import { BatchBuilder } from './batch-builder';
import { SettlementFlow } from './settlement-flow';

/** Building a day's batch: the builder the worker runs, and the flow that the API and the schedule start. */
@Module({
  imports: [QueueModule],
  providers: [BatchBuilder, SettlementFlow],
  exports: [BatchBuilder, SettlementFlow],
})
export class BuildModule {}
