import { Module } from '@nestjs/common';
import { SessionsModule } from '@vouchers/sessions';
import { ActivateOfficial } from './activate-official.usecase';
import { ChangeOfficialPassword } from './change-password.usecase';
import { OfficialAuthController } from './official-auth.controller';
import { OfficialSessionIssuer } from './official-session-issuer';
import { SignInAttempts } from './sign-in-attempts';
import { RefreshOfficialSession } from './refresh-official-session.usecase';
import { SignInOfficial } from './sign-in-official.usecase';

/** Officials' sign-in, activation, sessions and password change. */
@Module({
  imports: [SessionsModule],
  controllers: [OfficialAuthController],
  providers: [OfficialSessionIssuer, SignInAttempts, SignInOfficial, ActivateOfficial, RefreshOfficialSession, ChangeOfficialPassword],
  // An administrator's reset starts the number's counts afresh (OfficialsModule).
  exports: [SignInAttempts],
})
export class OfficialAuthModule {}
