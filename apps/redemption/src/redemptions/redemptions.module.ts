import { Module } from '@nestjs/common';
import { MerchantCallers } from '@vouchers/merchant-caller';
import { DayTotals } from './day-totals.usecase';
import { ListRedemptions } from './list-redemptions.usecase';
import { ListRefunds } from './list-refunds.usecase';
import { RedemptionsController } from './redemptions.controller';
import { RefundListingController } from './refund-listing.controller';

/** What a merchant reads of its own books: redemptions, refunds and day totals. */
@Module({
  controllers: [RedemptionsController, RefundListingController],
  providers: [ListRedemptions, ListRefunds, DayTotals, MerchantCallers],
})
export class RedemptionsModule {}
