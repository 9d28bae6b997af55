import { Module } from '@nestjs/common';
import { BuildReconciliation } from './build-reconciliation.usecase';
import { ReconciliationController } from './reconciliation.controller';

/** The reconciliation report, per range of business days and per batch, as JSON or CSV. */
@Module({
  controllers: [ReconciliationController],
  providers: [BuildReconciliation],
})
export class ReconciliationModule {}
