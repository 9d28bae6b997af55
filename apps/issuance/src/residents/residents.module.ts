import { Module } from '@nestjs/common';
import { OtpModule } from '@vouchers/otp';
import { GetMyProfile } from './profile/get-my-profile.usecase';
import { VerifyRealName } from './profile/verify-real-name.usecase';
import { VerifyOtp } from './otp/verify-otp.usecase';
import { ResidentAuthController } from './resident-auth.controller';
import { ResidentsController } from './residents.controller';
import { Logout } from './sessions/logout.usecase';
import { RefreshSession } from './sessions/refresh-session.usecase';
import { RefreshTokens } from './sessions/refresh-tokens';
import { SessionIssuer } from './sessions/session-issuer';

/** Residents' sign-in (phone + one-time code), sessions, and real-name verification. */
@Module({
  imports: [OtpModule.forAudience('resident')],
  controllers: [ResidentAuthController, ResidentsController],
  providers: [
    VerifyOtp,
    RefreshTokens,
    SessionIssuer,
    RefreshSession,
    Logout,
    GetMyProfile,
    VerifyRealName,
  ],
})
export class ResidentsModule {}
