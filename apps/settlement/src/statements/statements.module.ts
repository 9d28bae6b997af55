import { Module } from '@nestjs/common';
import { MerchantCallers } from '@vouchers/merchant-caller';
import { MerchantStatements } from './merchant-statements.usecase';
import { StatementsController } from './statements.controller';

@Module({ controllers: [StatementsController], providers: [MerchantStatements, MerchantCallers] })
export class StatementsModule {}
