import { Module } from '@nestjs/common';
import { OtpModule } from '@vouchers/otp';
import { SignInStaff } from './sign-in-staff.usecase';
import { StaffAuthController } from './staff-auth.controller';

/** Staff sign-in by one-time code; codes of the 'merchant' audience, apart from residents'. */
@Module({
  imports: [OtpModule.forAudience('merchant')],
  controllers: [StaffAuthController],
  providers: [SignInStaff],
})
export class StaffAuthModule {}
