import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { OneTimeCodes, OtpSentView, requirePhone } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { requireResident } from './phone-change-rules';

export interface SendPhoneChangeCodeCommand {
  phone: string;
  address: string;
}

/**
 * Sends a number-change code to the signed-in resident's new number, with the sign-in codes'
 * cool-down, limits and dev-mode echo (OneTimeCodes of the 'resident-phone-change' audience).
 * Whether the number already has an account is not looked at here: the answer would tell any
 * signed-in resident which numbers hold a verified account before they prove the number is theirs.
 */
@Injectable()
export class SendPhoneChangeCode {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  async execute(caller: AuthUser, command: SendPhoneChangeCodeCommand): Promise<OtpSentView> {
    const phone = requirePhone(command.phone);
    await requireResident(this.db.manager, caller, { newPhone: phone });
    return this.codes.send({ phone, address: command.address });
  }
}
