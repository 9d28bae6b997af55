import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { RegistryModule } from './registry/registry.module';

/** The merchant registry: onboarding, review, cashiers and the eligibility index. */
@Module({
  imports: [PlatformModule.forApp('merchant'), RegistryModule],
})
export class MerchantModule {}
