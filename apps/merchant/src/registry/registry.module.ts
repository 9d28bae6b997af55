import { Module } from '@nestjs/common';
import { ListMerchants } from './list-merchants.usecase';
import { RegistryController } from './registry.controller';

@Module({
  controllers: [RegistryController],
  providers: [ListMerchants],
})
export class RegistryModule {}
