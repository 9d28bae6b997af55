import { Module } from '@nestjs/common';
import { EligibilityModule } from '@vouchers/eligibility';
import { VoucherCodeModule } from '@vouchers/voucher-code';
import { RedeemVoucher } from './redeem-voucher.usecase';
import { RedeemRoute } from './redeem.route';
import { RedemptionWriter } from './redemption-writer';

@Module({
  imports: [EligibilityModule, VoucherCodeModule],
  providers: [RedemptionWriter, RedeemVoucher, RedeemRoute],
})
export class CheckoutModule {}
