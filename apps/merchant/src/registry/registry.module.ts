import { Module } from '@nestjs/common';
import { ListMerchants } from './list-merchants.usecase';
import { ListUsableMerchants } from './list-usable-merchants.usecase';
import { PublicMerchantsController } from './public-merchants.controller';
import { RegistryController } from './registry.controller';

@Module({
  controllers: [RegistryController, PublicMerchantsController],
  providers: [ListMerchants, ListUsableMerchants],
})
export class RegistryModule {}
