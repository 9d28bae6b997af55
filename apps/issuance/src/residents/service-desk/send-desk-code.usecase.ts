import { Inject, Injectable } from '@nestjs/common';
import { OneTimeCodes, OtpSentView, requirePhone } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { refuseUnchanged } from '../phone-change/phone-change-rules';
import { requireVerified } from './verified-residents';

export interface SendDeskCodeCommand {
  residentId: string;
  phone: string;
  address: string;
}

/**
 * Sends a number-change code to the resident's new number, so the official sees the resident
 * holds it (they read the code off their new phone). The codes, limits and cool-down are the
 * self-service change's (OneTimeCodes of the 'resident-phone-change' audience): a code sent here
 * or by the resident's own page proves the number for either. As there, whether the new number
 * has an account is not looked at before the code is proved.
 */
@Injectable()
export class SendDeskCode {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  async execute(command: SendDeskCodeCommand): Promise<OtpSentView> {
    const phone = requirePhone(command.phone);
    refuseUnchanged(await requireVerified(this.db.manager, command.residentId), phone);
    return this.codes.send({ phone, address: command.address });
  }
}
