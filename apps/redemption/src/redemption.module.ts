import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { RedemptionsModule } from './redemptions/redemptions.module';

/** The till: scan-and-redeem and refunds. */
@Module({
  imports: [PlatformModule.forApp('redemption'), RedemptionsModule],
})
export class RedemptionModule {}
