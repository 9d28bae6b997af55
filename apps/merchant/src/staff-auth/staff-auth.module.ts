import { Module } from '@nestjs/common';
import { OtpModule } from '@vouchers/otp';
import { SessionsModule } from '@vouchers/sessions';
import { RefreshStaffSession } from './refresh-staff-session.usecase';
import { SignInStaff } from './sign-in-staff.usecase';
import { StaffSessionIssuer } from './staff-session-issuer';
import { StaffAuthController } from './staff-auth.controller';

/** Staff sign-in by one-time code (codes of the 'merchant' audience, apart from residents') and staff sessions. */
@Module({
  imports: [OtpModule.forAudience('merchant'), SessionsModule],
  controllers: [StaffAuthController],
  providers: [SignInStaff, StaffSessionIssuer, RefreshStaffSession],
})
export class StaffAuthModule {}
