import { Module } from '@nestjs/common';
import { MerchantStatements } from './merchant-statements.usecase';
import { StatementsController } from './statements.controller';

@Module({ controllers: [StatementsController], providers: [MerchantStatements] })
export class StatementsModule {}
