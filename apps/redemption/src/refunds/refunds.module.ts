import { Module } from '@nestjs/common';
import { RefundRedemption } from './refund-redemption.usecase';
import { RefundsController } from './refunds.controller';

@Module({ controllers: [RefundsController], providers: [RefundRedemption] })
export class RefundsModule {}
