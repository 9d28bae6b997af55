import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { CheckoutModule } from './checkout/checkout.module';
import { RedemptionsModule } from './redemptions/redemptions.module';

/** The till: scan-and-redeem and refunds. */
@Module({
  imports: [PlatformModule.forApp('redemption'), CheckoutModule, RedemptionsModule],
})
export class RedemptionModule {}
