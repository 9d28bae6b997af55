import { Module } from '@nestjs/common';
import { EligibilityModule } from '@vouchers/eligibility';
import { DecideMerchant } from './decide-merchant.usecase';
import { EligibilitySync } from './eligibility-sync';
import { EligibilityWatch } from './eligibility-watch';
import { ReviewController } from './review.controller';

/** Officials' decisions on merchants, and the eligibility index that follows them. */
@Module({
  imports: [EligibilityModule],
  controllers: [ReviewController],
  providers: [DecideMerchant, EligibilitySync, EligibilityWatch],
  exports: [EligibilitySync],
})
export class ReviewModule {}
