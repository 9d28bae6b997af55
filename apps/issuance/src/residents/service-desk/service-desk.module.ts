import { Module } from '@nestjs/common';
import { OtpModule } from '@vouchers/otp';
import { PhoneChangeModule } from '../phone-change/phone-change.module';
import { PHONE_CHANGE_AUDIENCE } from '../phone-change/phone-change-rules';
import { LookUpResident } from './look-up-resident.usecase';
import { MoveResidentAtDesk } from './move-resident-at-desk.usecase';
import { SendDeskCode } from './send-desk-code.usecase';
import { ServiceDeskController } from './service-desk.controller';

/** The officials' service desk for residents: the self-service number change's move (PhoneChangeModule) and codes (its audience), on an ID card. */
@Module({
  imports: [OtpModule.forAudience(PHONE_CHANGE_AUDIENCE), PhoneChangeModule],
  controllers: [ServiceDeskController],
  providers: [LookUpResident, SendDeskCode, MoveResidentAtDesk],
})
export class ServiceDeskModule {}
