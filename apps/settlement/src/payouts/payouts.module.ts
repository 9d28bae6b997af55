import { Module } from '@nestjs/common';
import { BankResults } from './bank-results.usecase';
import { PayoutFiles } from './payout-file.usecase';
import { PayoutsController } from './payouts.controller';
import { ResultsBodyParser } from './results-body-parser';

/** Paying approved batches: payout files out, bank result files in. */
@Module({
  controllers: [PayoutsController],
  providers: [ResultsBodyParser, PayoutFiles, BankResults],
})
export class PayoutsModule {}
