import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { OneTimeCodes, OtpSentView } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { requireOwnAccount } from '../resident-lookup';

/**
 * Sends a closing code to the signed-in resident's own number, with the sign-in codes' cool-down,
 * limits and dev-mode echo (OneTimeCodes of the 'resident-closing' audience): whoever holds the
 * phone's session must also hold its SIM to close the account.
 */
@Injectable()
export class SendClosingCode {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  async execute(caller: AuthUser, address: string): Promise<OtpSentView> {
    const resident = await requireOwnAccount(this.db.manager, caller);
    return this.codes.send({ phone: resident.phone, address });
  }
}
