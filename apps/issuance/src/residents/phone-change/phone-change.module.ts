import { Module } from '@nestjs/common';
import { OtpModule } from '@vouchers/otp';
import { SessionsModule } from '@vouchers/sessions';
import { SessionIssuer } from '../sessions/session-issuer';
import { ChangePhone } from './change-phone.usecase';
import { PhoneChangeController } from './phone-change.controller';
import { SendPhoneChangeCode } from './send-phone-change-code.usecase';

/**
 * A resident's number change. Its codes are OtpModule's of their own audience, so this module's
 * OneTimeCodes neither sends nor takes sign-in codes (ResidentsModule has those).
 */
@Module({
  imports: [OtpModule.forAudience('resident-phone-change'), SessionsModule],
  controllers: [PhoneChangeController],
  providers: [SendPhoneChangeCode, ChangePhone, SessionIssuer],
})
export class PhoneChangeModule {}
