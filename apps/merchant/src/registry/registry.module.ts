import { Module } from '@nestjs/common';
import { ListMerchants } from './list-merchants.usecase';
import { ListUsableMerchants } from './list-usable-merchants.usecase';
import { PublicMerchantsController } from './public-merchants.controller';
import { ReadMerchant } from './read-merchant.usecase';
import { RegistryController } from './registry.controller';

@Module({
  controllers: [RegistryController, PublicMerchantsController],
  providers: [ListMerchants, ListUsableMerchants, ReadMerchant],
})
export class RegistryModule {}
