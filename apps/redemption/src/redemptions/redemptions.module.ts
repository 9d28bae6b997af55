import { Module } from '@nestjs/common';
import { ListRedemptions } from './list-redemptions.usecase';
import { RedemptionsController } from './redemptions.controller';

@Module({
  controllers: [RedemptionsController],
  providers: [ListRedemptions],
})
export class RedemptionsModule {}
