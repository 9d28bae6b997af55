import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { BatchesModule } from './batches/batches.module';
import { PayoutsModule } from './payouts/payouts.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { StatementsModule } from './statements/statements.module';

/** The finance bureau's API (batches, approvals, payout files, reconciliation) and merchants' statements. */
@Module({
  imports: [PlatformModule.forApp('settlement'), BatchesModule, StatementsModule, PayoutsModule, ReconciliationModule],
})
export class SettlementModule {}
