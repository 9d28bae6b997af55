import { Module } from '@nestjs/common';
import { GetMyProfile } from './profile/get-my-profile.usecase';
import { VerifyRealName } from './profile/verify-real-name.usecase';
import { OtpStore } from './otp/otp.store';
import { SendOtp } from './otp/send-otp.usecase';
import { LogSmsSender, SMS_SENDER } from './otp/sms-sender';
import { VerifyOtp } from './otp/verify-otp.usecase';
import { ResidentAuthController } from './resident-auth.controller';
import { ResidentsController } from './residents.controller';
import { Logout } from './sessions/logout.usecase';
import { RefreshSession } from './sessions/refresh-session.usecase';
import { RefreshTokens } from './sessions/refresh-tokens';
import { SessionIssuer } from './sessions/session-issuer';

/** Residents' sign-in (phone + one-time code), sessions, and real-name verification. */
@Module({
  controllers: [ResidentAuthController, ResidentsController],
  providers: [
    OtpStore,
    { provide: SMS_SENDER, useClass: LogSmsSender },
    SendOtp,
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
