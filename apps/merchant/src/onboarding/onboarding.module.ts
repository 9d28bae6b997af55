import { Module } from '@nestjs/common';
import { OtpModule } from '@vouchers/otp';
import { BankAccountChangesModule } from '../bank-account-changes/bank-account-changes.module';
import { ReviewModule } from '../review/review.module';
import { GetMyMerchant } from './get-my-merchant.usecase';
import { MyMerchantController } from './my-merchant.controller';
import { RegisterMerchant } from './register-merchant.usecase';
import { RegistrationController } from './registration.controller';
import { UpdateMyMerchant } from './update-my-merchant.usecase';

/** Self-registration of merchants and their own profile. Codes are the staff's ('merchant'), not residents'. */
@Module({
  imports: [OtpModule.forAudience('merchant'), ReviewModule, BankAccountChangesModule],
  controllers: [RegistrationController, MyMerchantController],
  providers: [RegisterMerchant, GetMyMerchant, UpdateMyMerchant],
})
export class OnboardingModule {}
