import { Module } from '@nestjs/common';
import { VoucherCodeModule } from '@vouchers/voucher-code';
import { CheckoutCodeController } from './checkout-code.controller';
import { IssueCheckoutCode } from './checkout-code.usecase';

/** Residents' checkout codes (the till side is apps/redemption). */
@Module({
  imports: [VoucherCodeModule],
  controllers: [CheckoutCodeController],
  providers: [IssueCheckoutCode],
})
export class CodesModule {}
