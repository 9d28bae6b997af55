import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { BatchesModule } from './batches/batches.module';

/** The finance bureau's API: batches, approvals, payout files, reconciliation. */
@Module({
  imports: [PlatformModule.forApp('settlement'), BatchesModule],
})
export class SettlementModule {}
