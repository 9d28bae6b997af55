import { Inject, Injectable } from '@nestjs/common';
import { OneTimeCodes } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { recordConsents } from '../consents/consents';
import { requireCurrentNotice } from '../consents/privacy-notice';
import { SessionView } from '../dtos/session.view';
import { findOrCreateResidentByPhone } from '../resident-lookup';
import { SessionIssuer } from '../sessions/session-issuer';

export interface VerifyOtpCommand {
  phone: string;
  code: string;
  address: string;
  /** The privacy notice version agreed to on the sign-in page. */
  privacyNotice: string | undefined;
}

/**
 * Signs a resident in by phone and one-time code; the first sign-in creates the account. The
 * consent to the privacy notice is checked before the code is tried (a refusal keeps the code)
 * and recorded with the session.
 */
@Injectable()
export class VerifyOtp {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SessionIssuer) private readonly sessions: SessionIssuer,
  ) {}

  async execute(command: VerifyOtpCommand): Promise<SessionView> {
    requireCurrentNotice(command.privacyNotice);
    const phone = await this.codes.verify(command);
    return this.db.transaction(async (manager) => {
      const resident = await findOrCreateResidentByPhone(manager, phone);
      await recordConsents(manager, resident.id, ['privacy_notice']);
      return this.sessions.start(manager, resident);
    });
  }
}
