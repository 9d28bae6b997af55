import { Module } from '@nestjs/common';
import { OtpModule } from '@vouchers/otp';
import { SessionsModule } from '@vouchers/sessions';
import { ClosingModule } from './closing/closing.module';
import { AgreeToNotice } from './profile/agree-to-notice.usecase';
import { GetMyConsents } from './profile/get-my-consents.usecase';
import { GetMyProfile } from './profile/get-my-profile.usecase';
import { VerifyRealName } from './profile/verify-real-name.usecase';
import { VerifyOtp } from './otp/verify-otp.usecase';
import { PhoneChangeModule } from './phone-change/phone-change.module';
import { ResidentAuthController } from './resident-auth.controller';
import { ResidentsController } from './residents.controller';
import { ServiceDeskModule } from './service-desk/service-desk.module';
import { RefreshSession } from './sessions/refresh-session.usecase';
import { SessionIssuer } from './sessions/session-issuer';

/** Residents' sign-in (phone + one-time code), sessions, real-name verification, number changes, closing, and the officials' service desk. */
@Module({
  imports: [OtpModule.forAudience('resident'), SessionsModule, PhoneChangeModule, ServiceDeskModule, ClosingModule],
  controllers: [ResidentAuthController, ResidentsController],
  providers: [
    VerifyOtp,
    SessionIssuer,
    RefreshSession,
    GetMyProfile,
    GetMyConsents,
    AgreeToNotice,
    VerifyRealName,
  ],
})
export class ResidentsModule {}
