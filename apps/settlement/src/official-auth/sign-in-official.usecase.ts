import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { OfficialAccessErrorCode } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { requirePhone } from '@vouchers/otp';
import { recordAudit } from '@vouchers/database';
import { DataSource, EntityManager } from 'typeorm';
import { OfficialSessionView } from './dtos/official-session.view';
import { OfficialAuthErrorCode } from './official-auth-errors';
import {
  CredentialRefusal,
  CredentialRow,
  failedAttempt,
  lockedOfficialByPhone,
  noWaitForDisk,
  officialByPhone,
  passwordHolds,
  refusalError,
  spendTotpStep,
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
  /** The request's id, for the audit entry of a sign-in. */
  requestId?: string;
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
      // The password first, outside a transaction: the argon2 work holds no connection and no
      // lock. Checked against the decoy when the number is no official's: the same work either way.
      const seen = await officialByPhone(this.db, phone);
      const passwordOk = await passwordHolds(seen, command.password);
      outcome = seen && passwordOk ? await this.db.transaction((manager) => this.check(manager, phone, seen, command)) : { failed: true };
    } catch (error) {
      // Nothing was decided (the database did not answer): the attempt is given back.
      await this.attempts.giveBack(phone, command.address, allowance);
      throw error;
    }
    if ('failed' in outcome) throw refusalError(this.attempts.refusal(allowance));
    if ('session' in outcome) {
      void this.attempts.succeeded(phone, command.address, allowance);
      return outcome.session;
    }
    throw 'error' in outcome ? outcome.error : refusalError(outcome.refusal);
  }

  /**
   * The right password: the row, locked, so concurrent sign-ins of the account take turns (the
   * failure count and the last TOTP step stay exact). A failure's commit does not wait for the
   * disk, so it takes about as long as a wrong password's.
   */
  private async check(manager: EntityManager, phone: string, seen: CredentialRow, command: SignInOfficialCommand): Promise<Outcome> {
    const row = await lockedOfficialByPhone(manager, phone);
    if (!row || row.passwordHash !== seen.passwordHash) {
      // The password changed meanwhile.
      await noWaitForDisk(manager);
      return { failed: true };
    }
    if (row.activationCodeHash !== null && row.disabledAt === null) {
      return {
        error: new AppError(
          OfficialAuthErrorCode.PasswordChangeRequired,
          'Your account awaits activation: set a new password with the activation code from your administrator',
        ),
      };
    }
    const step = totpStepOf(row, command.totpCode, this.config.bankAccountKey);
    if (row.lockedForSeconds > 0 || step === null) await noWaitForDisk(manager);
    if (row.lockedForSeconds > 0) {
      if (step === null) return { failed: true };
      // Told, and spent: a code found while the lock holds cannot sign in once it ends.
      await spendTotpStep(manager, row, step);
      return { refusal: { locked: row.lockedForSeconds } };
    }
    if (step === null) {
      // Counted on the account (the fifth locks it), answered as any failure.
      await failedAttempt(manager, row, OfficialAuthErrorCode.InvalidCredentials);
      return { failed: true };
    }
    // Right credentials clear the count even for a disabled account; only an enabled one signs in.
    const lastSignInAt = await succeeded(manager, row, step, { signsIn: row.disabledAt === null });
    if (row.disabledAt !== null) {
      return { error: new AppError(OfficialAccessErrorCode.AccountDisabled, 'Your account is disabled; ask an account administrator') };
    }
    // Who signed in, when and from where: the auditors' record (failures are counted, not recorded);
    // the when is on the row too, for the administrators' list (Official.lastSignInAt).
    await recordAudit(manager, {
      actorId: row.publicId,
      actorRole: row.role,
      action: 'official.sign_in',
      targetType: 'official',
      targetId: row.publicId,
      detail: { address: command.address },
      requestId: command.requestId,
    });
    return { session: await this.issuer.start(manager, { ...row, lastSignInAt }) };
  }
}
