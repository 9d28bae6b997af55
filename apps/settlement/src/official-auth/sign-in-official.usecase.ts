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
import { PasswordGuesses } from './password-guesses';

export interface SignInOfficialCommand {
  phone: string;
  password: string;
  totpCode: string;
  /** The client's address: wrong passwords are counted per number and address (PasswordGuesses). */
  address: string;
}

type Outcome = { session: OfficialSessionView } | { refusal: CredentialRefusal } | { error: AppError } | { wrongPassword: true };

/**
 * An official signs in with their phone, password and a TOTP code: a short-lived access token
 * and a refresh token of a session lasting officialSessionTtlSeconds. The order of the checks
 * says no more than the caller has proven: a lock answers before anything is checked (guessing
 * stops): the number's from this address or everywhere (wrong passwords, PasswordGuesses), or
 * the account's (wrong TOTP codes after a right password); a wrong password is answered alike
 * whether the number is an official's or not; a reset account answers PASSWORD_CHANGE_REQUIRED
 * only to its old password; a disabled one answers ACCOUNT_DISABLED only once password and
 * code are right.
 */
@Injectable()
export class SignInOfficial {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(OfficialSessionIssuer) private readonly issuer: OfficialSessionIssuer,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(PasswordGuesses) private readonly guesses: PasswordGuesses,
  ) {}

  async execute(command: SignInOfficialCommand): Promise<OfficialSessionView> {
    const phone = requirePhone(command.phone);
    const guessing = await this.guesses.lockFor(phone, command.address);
    if (guessing) throw refusalError(guessing);
    // A refusal is returned from the transaction, not thrown in it, so the failure's count commits.
    const outcome = await this.db.transaction(async (manager): Promise<Outcome> => {
      const row = await lockedOfficialByPhone(manager, phone);
      if (row && row.lockedForSeconds > 0) return { refusal: { locked: row.lockedForSeconds } };
      const passwordOk = await passwordHolds(row, command.password);
      if (!row || !passwordOk) return { wrongPassword: true };
      if (row.activationCodeHash !== null && row.disabledAt === null) {
        return {
          error: new AppError(
            OfficialAuthErrorCode.PasswordChangeRequired,
            'Your account awaits activation: set a new password with the activation code from your administrator',
          ),
        };
      }
      const step = totpStepOf(row, command.totpCode, this.config.bankAccountKey);
      if (step === null) return { refusal: await failedAttempt(manager, row, OfficialAuthErrorCode.InvalidCredentials) };
      await succeeded(manager, row, step);
      if (row.disabledAt !== null) {
        return { error: new AppError(OfficialAccessErrorCode.AccountDisabled, 'Your account is disabled; ask an account administrator') };
      }
      return { session: await this.issuer.start(manager, row) };
    });
    if ('wrongPassword' in outcome) throw refusalError(await this.guesses.wrong(phone, command.address));
    await this.guesses.forget(phone, command.address);
    if ('session' in outcome) return outcome.session;
    throw 'error' in outcome ? outcome.error : refusalError(outcome.refusal);
  }
}
