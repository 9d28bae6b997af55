import { Module } from '@nestjs/common';
import { MerchantCallers } from '@vouchers/merchant-caller';
import { RefundRedemption } from './refund-redemption.usecase';
import { RefundsController } from './refunds.controller';

@Module({ controllers: [RefundsController], providers: [RefundRedemption, MerchantCallers] })
export class RefundsModule {}
