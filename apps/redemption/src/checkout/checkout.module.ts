import { Module } from '@nestjs/common';
import { EligibilityModule } from '@vouchers/eligibility';
import { VoucherCodeModule } from '@vouchers/voucher-code';
import { CheckoutController } from './checkout.controller';
import { RedeemVoucher } from './redeem-voucher.usecase';
import { RedemptionWriter } from './redemption-writer';

@Module({
  imports: [EligibilityModule, VoucherCodeModule],
  controllers: [CheckoutController],
  providers: [RedemptionWriter, RedeemVoucher],
})
export class CheckoutModule {}
