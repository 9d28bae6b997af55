import { Module } from '@nestjs/common';
import { OtpModule } from '@vouchers/otp';
import { SessionsModule } from '@vouchers/sessions';
import { SessionIssuer } from '../sessions/session-issuer';
import { ChangePhone } from './change-phone.usecase';
import { NumberMove } from './number-move';
import { PHONE_CHANGE_AUDIENCE } from './phone-change-rules';
import { PhoneChangeController } from './phone-change.controller';
import { SendPhoneChangeCode } from './send-phone-change-code.usecase';

/**
 * A resident's number change. Its codes are OtpModule's of their own audience, so this module's
 * OneTimeCodes neither sends nor takes sign-in codes (ResidentsModule has those). The move itself
 * (NumberMove) is the service desk's too (ServiceDeskModule), which takes codes of this audience.
 */
@Module({
  imports: [OtpModule.forAudience(PHONE_CHANGE_AUDIENCE), SessionsModule],
  controllers: [PhoneChangeController],
  providers: [SendPhoneChangeCode, ChangePhone, SessionIssuer, NumberMove],
  exports: [NumberMove],
})
export class PhoneChangeModule {}
