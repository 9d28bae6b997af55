import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { CheckoutModule } from './checkout/checkout.module';
import { RedemptionsModule } from './redemptions/redemptions.module';
import { RefundsModule } from './refunds/refunds.module';

/** The till: scan-and-redeem and refunds. */
@Module({
  imports: [PlatformModule.forApp('redemption'), CheckoutModule, RedemptionsModule, RefundsModule],
})
export class RedemptionModule {}
