import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { REDIS, Redis } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import { SessionView } from '../dtos/session.view';
import { requirePhone } from '../phone';
import { ResidentErrorCode } from '../resident-errors';
import { findOrCreateResidentByPhone } from '../resident.records';
import { SessionIssuer } from '../sessions/session-issuer';
import { enforceRateLimit, OTP_POLICY, otpKeys } from './otp-policy';
import { OtpStore } from './otp.store';

export interface VerifyOtpCommand {
  phone: string;
  code: string;
  address: string;
}

/** Signs a resident in by phone and one-time code; the first sign-in creates the account. */
@Injectable()
export class VerifyOtp {
  constructor(
    @Inject(OtpStore) private readonly store: OtpStore,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SessionIssuer) private readonly sessions: SessionIssuer,
  ) {}

  async execute(command: VerifyOtpCommand): Promise<SessionView> {
    const phone = requirePhone(command.phone);
    await enforceRateLimit(
      this.redis,
      otpKeys.checksPerAddress(command.address),
      OTP_POLICY.checksPerAddress,
      ResidentErrorCode.OtpAddressLimit,
      'Too many sign-in attempts from this network; try again later',
    );
    const check = await this.store.check(phone, command.code);
    switch (check.outcome) {
      case 'missing':
        throw new AppError(ResidentErrorCode.OtpExpired, 'The code has expired or was never sent; ask for a new one', 401);
      case 'burned':
        throw new AppError(ResidentErrorCode.OtpTooManyTries, 'Too many wrong codes; ask for a new one', 429);
      case 'mismatch':
        throw new AppError(ResidentErrorCode.OtpInvalid, 'The code is not right', 401, { triesLeft: check.triesLeft });
      case 'match':
        break;
    }
    return this.db.transaction(async (manager) => {
      const resident = await findOrCreateResidentByPhone(manager, phone);
      return this.sessions.start(manager, resident);
    });
  }
}
