import { Module } from '@nestjs/common';
import { EligibilityModule } from '@vouchers/eligibility';
import { VoucherCodeModule } from '@vouchers/voucher-code';
import { CheckoutController } from './checkout.controller';
import { RedeemVoucher } from './redeem-voucher.usecase';

@Module({
  imports: [EligibilityModule, VoucherCodeModule],
  controllers: [CheckoutController],
  providers: [RedeemVoucher],
})
export class CheckoutModule {}
