import { Module } from '@nestjs/common';
import { BuildModule } from '../build/build.module';
import { LedgerBalanceCheck } from '../jobs/ledger-balance.check';
import { BatchDecisions } from './batch-decisions.usecase';
import { BatchHistory } from './batch-history.usecase';
import { BatchesController } from './batches.controller';
import { ListBatches } from './list-batches.usecase';
import { ReadBatches } from './read-batches.usecase';

@Module({
  imports: [BuildModule],
  controllers: [BatchesController],
  providers: [ListBatches, ReadBatches, BatchDecisions, BatchHistory, LedgerBalanceCheck],
})
export class BatchesModule {}
