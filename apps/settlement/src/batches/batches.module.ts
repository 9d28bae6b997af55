import { Module } from '@nestjs/common';
import { LedgerBalanceCheck } from '../jobs/ledger-balance.check';
import { BatchesController } from './batches.controller';
import { ListBatches } from './list-batches.usecase';

@Module({
  controllers: [BatchesController],
  providers: [ListBatches, LedgerBalanceCheck],
})
export class BatchesModule {}
