import { Module } from '@nestjs/common';
import { ExpiryController } from './expiry.controller';
import { ListExpiryRuns } from './list-expiry-runs.usecase';

/** The voucher expiry job's runs read back by officials (the worker runs the job itself: VoucherExpiry). */
@Module({
  controllers: [ExpiryController],
  providers: [ListExpiryRuns],
})
export class ExpiryModule {}
