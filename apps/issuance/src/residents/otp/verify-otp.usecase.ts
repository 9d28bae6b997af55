import { Inject, Injectable } from '@nestjs/common';
import { OneTimeCodes } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { SessionView } from '../dtos/session.view';
import { findOrCreateResidentByPhone } from '../resident-lookup';
import { SessionIssuer } from '../sessions/session-issuer';

export interface VerifyOtpCommand {
  phone: string;
  code: string;
  address: string;
}

/** Signs a resident in by phone and one-time code; the first sign-in creates the account. */
@Injectable()
export class VerifyOtp {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SessionIssuer) private readonly sessions: SessionIssuer,
  ) {}

  async execute(command: VerifyOtpCommand): Promise<SessionView> {
    const phone = await this.codes.verify(command);
    return this.db.transaction(async (manager) => {
      const resident = await findOrCreateResidentByPhone(manager, phone);
      return this.sessions.start(manager, resident);
    });
  }
}
