import { Module } from '@nestjs/common';
import { OtpModule } from '@vouchers/otp';
import { SessionsModule } from '@vouchers/sessions';
import { CloseAccount } from './close-account.usecase';
import { CLOSING_AUDIENCE } from './closing-rules';
import { ClosingController } from './closing.controller';
import { ReopenClosedAccount } from './reopen-closed-account';
import { SendClosingCode } from './send-closing-code.usecase';
import { SessionIssuer } from '../sessions/session-issuer';

/**
 * A resident closing their own account. Its codes are OtpModule's of their own audience, so this
 * module's OneTimeCodes neither sends nor takes sign-in or number-change codes. Reopening is the
 * real-name verification's (ReopenClosedAccount, beside VerifyRealName).
 */
@Module({
  imports: [OtpModule.forAudience(CLOSING_AUDIENCE), SessionsModule],
  controllers: [ClosingController],
  providers: [SendClosingCode, CloseAccount, ReopenClosedAccount, SessionIssuer],
  exports: [ReopenClosedAccount],
})
export class ClosingModule {}
