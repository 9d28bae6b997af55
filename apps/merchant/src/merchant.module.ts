import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { BankAccountChangesModule } from './bank-account-changes/bank-account-changes.module';
import { BulkModule } from './bulk/bulk.module';
import { OnboardingModule } from './onboarding/onboarding.module';
import { RegistryModule } from './registry/registry.module';
import { ReviewModule } from './review/review.module';
import { StaffAuthModule } from './staff-auth/staff-auth.module';
import { StaffModule } from './staff/staff.module';

/** The merchant registry: onboarding, review, cashiers and the eligibility index. */
@Module({
  imports: [
    PlatformModule.forApp('merchant'),
    RegistryModule,
    BulkModule,
    OnboardingModule,
    ReviewModule,
    BankAccountChangesModule,
    StaffModule,
    StaffAuthModule,
  ],
})
export class MerchantModule {}
