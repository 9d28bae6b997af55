import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { OfficialAccessErrorCode } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { requirePhone } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { OfficialSessionView } from './dtos/official-session.view';
import { OfficialAuthErrorCode } from './official-auth-errors';
import { CredentialRefusal, failedAttempt, lockedOfficialByPhone, passwordHolds, refusalError, succeeded, totpStepOf } from './official-credentials';
import { OfficialSessionIssuer } from './official-session-issuer';
import { SignInAttempts } from './sign-in-attempts';

export interface SignInOfficialCommand {
  phone: string;
  password: string;
  totpCode: string;
  /** The client's address: attempts are counted per number and address (SignInAttempts). */
  address: string;
}

/** A refusal is returned from the transaction, not thrown in it, so the failure's count commits; `failed`: answered from the attempts' count. */
type Outcome = { session: OfficialSessionView } | { refusal: CredentialRefusal } | { error: AppError } | { failed: true };

/**
 * An official signs in with their phone, password and a TOTP code: a short-lived access token
 * and a refresh token of a session lasting officialSessionTtlSeconds. An attempt is counted
 * first (SignInAttempts: none left, 423 before anything is checked), and the order of the checks
 * says no more than the caller has proven: a wrong password, or a wrong code behind the right
 * one, is answered alike from that count, as is a number that is no official's; the account's
 * own lock (wrong codes behind the right password, in Postgres) answers 423 only to the right
 * password; a reset account answers PASSWORD_CHANGE_REQUIRED only to its old password; a
 * disabled one answers ACCOUNT_DISABLED only once password and code are right.
 */
@Injectable()
export class SignInOfficial {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(OfficialSessionIssuer) private readonly issuer: OfficialSessionIssuer,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SignInAttempts) private readonly attempts: SignInAttempts,
  ) {}

  async execute(command: SignInOfficialCommand): Promise<OfficialSessionView> {
    const phone = requirePhone(command.phone);
    const allowance = await this.attempts.take(phone, command.address);
    if ('locked' in allowance) throw refusalError(allowance);
    const outcome = await this.db.transaction(async (manager): Promise<Outcome> => {
      const row = await lockedOfficialByPhone(manager, phone);
      const passwordOk = await passwordHolds(row, command.password);
      if (!row || !passwordOk) return { failed: true };
      if (row.lockedForSeconds > 0) return { refusal: { locked: row.lockedForSeconds } };
      if (row.activationCodeHash !== null && row.disabledAt === null) {
        return {
          error: new AppError(
            OfficialAuthErrorCode.PasswordChangeRequired,
            'Your account awaits activation: set a new password with the activation code from your administrator',
          ),
        };
      }
      const step = totpStepOf(row, command.totpCode, this.config.bankAccountKey);
      if (step === null) {
        const counted = await failedAttempt(manager, row, OfficialAuthErrorCode.InvalidCredentials);
        // Locked now: the account's lock, which only the right password hears of. Else as a wrong password.
        return 'locked' in counted ? { refusal: counted } : { failed: true };
      }
      await succeeded(manager, row, step);
      if (row.disabledAt !== null) {
        return { error: new AppError(OfficialAccessErrorCode.AccountDisabled, 'Your account is disabled; ask an account administrator') };
      }
      return { session: await this.issuer.start(manager, row) };
    });
    if ('failed' in outcome) throw refusalError(this.attempts.refusal(allowance));
    if ('session' in outcome) {
      await this.attempts.succeeded(phone, command.address);
      return outcome.session;
    }
    throw 'error' in outcome ? outcome.error : refusalError(outcome.refusal);
  }
}
