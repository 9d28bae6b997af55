import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { OfficialAccessErrorCode } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { requirePhone } from '@vouchers/otp';
import { DataSource, EntityManager } from 'typeorm';
import { OfficialSessionView } from './dtos/official-session.view';
import { OfficialAuthErrorCode } from './official-auth-errors';
import {
  CredentialRefusal,
  failedAttempt,
  lockedOfficialByPhone,
  officialByPhone,
  passwordHolds,
  refusalError,
  succeeded,
  totpStepOf,
} from './official-credentials';
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
 * first (SignInAttempts: none left, 423 before anything is checked), and what is answered says
 * no more than the caller has proven. The password is checked on the row read without a lock:
 * a wrong one waits for nothing and writes nothing, for an official's number as for any other,
 * and is answered from the count; so is a wrong code behind the right password (which counts
 * towards the account's own lock in Postgres). That lock answers 423 only to the right password
 * and code; a reset account answers PASSWORD_CHANGE_REQUIRED to its old password (it has no
 * code until it is activated again); a disabled one answers ACCOUNT_DISABLED once password and
 * code are right.
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
    let outcome: Outcome;
    try {
      outcome = await this.db.transaction((manager) => this.check(manager, phone, command));
    } catch (error) {
      // Nothing was decided (the database did not answer): the attempt is given back.
      await this.attempts.giveBack(phone, command.address);
      throw error;
    }
    if ('failed' in outcome) throw refusalError(this.attempts.refusal(allowance));
    if ('session' in outcome) {
      void this.attempts.succeeded(phone, command.address);
      return outcome.session;
    }
    throw 'error' in outcome ? outcome.error : refusalError(outcome.refusal);
  }

  private async check(manager: EntityManager, phone: string, command: SignInOfficialCommand): Promise<Outcome> {
    const seen = await officialByPhone(manager, phone);
    // Checked against the decoy when the number is no official's: the same argon2 work either way.
    const passwordOk = await passwordHolds(seen, command.password);
    if (!seen || !passwordOk) return { failed: true };
    // The right password: now the row, locked, so concurrent sign-ins of the account take turns
    // (the failure count and the last TOTP step stay exact). A password changed meanwhile fails.
    const row = await lockedOfficialByPhone(manager, phone);
    if (!row || row.passwordHash !== seen.passwordHash) return { failed: true };
    if (row.activationCodeHash !== null && row.disabledAt === null) {
      return {
        error: new AppError(
          OfficialAuthErrorCode.PasswordChangeRequired,
          'Your account awaits activation: set a new password with the activation code from your administrator',
        ),
      };
    }
    const step = totpStepOf(row, command.totpCode, this.config.bankAccountKey);
    if (row.lockedForSeconds > 0) return step === null ? { failed: true } : { refusal: { locked: row.lockedForSeconds } };
    if (step === null) {
      // Counted on the account (the fifth locks it), answered as any failure.
      await failedAttempt(manager, row, OfficialAuthErrorCode.InvalidCredentials);
      return { failed: true };
    }
    await succeeded(manager, row, step);
    if (row.disabledAt !== null) {
      return { error: new AppError(OfficialAccessErrorCode.AccountDisabled, 'Your account is disabled; ask an account administrator') };
    }
    return { session: await this.issuer.start(manager, row) };
  }
}
