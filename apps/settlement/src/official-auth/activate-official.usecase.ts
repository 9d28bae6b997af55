import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { OfficialAccessErrorCode } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { Official, recordAudit } from '@vouchers/database';
import { hashPassword, newTotpSecret, passwordError, PasswordErrorCode, passwordProblem, sealTotpSecret, totpQrSvg, totpUri } from '@vouchers/officials';
import { requirePhone } from '@vouchers/otp';
import { DataSource, EntityManager } from 'typeorm';
import { OfficialSessionView } from './dtos/official-session.view';
import { TotpEnrolmentView } from './dtos/totp-enrolment.view';
import { OfficialAuthErrorCode } from './official-auth-errors';
import {
  activationHolds,
  CredentialRefusal,
  CredentialRow,
  lockedOfficialByPhone,
  officialByPhone,
  passwordHolds,
  refusalError,
  succeeded,
  totpStepOf,
} from './official-credentials';
import { OfficialSessionIssuer } from './official-session-issuer';
import { Allowance, SignInAttempts } from './sign-in-attempts';

/** What a step decided: `failed` is answered from the attempts' count, with that code. */
type Outcome<T> = T | { refusal: CredentialRefusal } | { error: AppError } | { failed: OfficialAuthErrorCode };

/**
 * Activation of a new or reset account, in two steps that both carry the activation code: the
 * first sets the password (by the rules) and enrols a new TOTP secret, answering its otpauth://
 * URI and QR code; the second proves the authenticator works with a code, ends the activation
 * and signs the official in. Until then the account cannot sign in. Each step takes an attempt
 * from the sign-in counts first (SignInAttempts: none left, 423 before anything is checked), and
 * the code is checked on the row read without a lock: a wrong one, an unknown number, and an
 * account with no activation outstanding are answered alike from that count, wait for nothing
 * and write nothing, and count nothing on the account itself, so no one who knows an official's
 * number can lock them out of activating (the code has about 80 bits: the counts are guard
 * enough). A right code gives its attempt back.
 */
@Injectable()
export class ActivateOfficial {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(OfficialSessionIssuer) private readonly issuer: OfficialSessionIssuer,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SignInAttempts) private readonly attempts: SignInAttempts,
  ) {}

  /** `address`: the client's, for the attempts' count. */
  async enrol(command: { phone: string; activationCode: string; newPassword: string; address: string }): Promise<TotpEnrolmentView> {
    const phone = requirePhone(command.phone);
    const problem = passwordProblem(command.newPassword, phone);
    if (problem) throw passwordError(problem);
    const { allowance, outcome } = await this.attempt(phone, command, async (seen) => {
      // The argon2 work before the lock: a reset forces a change, so the password it replaces may not come back.
      if (await passwordHolds(seen, command.newPassword)) return { error: passwordError(PasswordErrorCode.Unchanged) };
      const passwordHash = await hashPassword(command.newPassword);
      return this.db.transaction(async (manager): Promise<Outcome<{ enrolment: TotpEnrolmentView }>> => {
        const checked = await this.lockedAccount(manager, phone, seen, command.activationCode);
        if (!('row' in checked)) return checked;
        const secret = newTotpSecret();
        await manager.update(
          Official,
          { id: checked.row.id },
          { passwordHash, totpSecret: sealTotpSecret(secret, this.config.bankAccountKey), totpLastStep: null },
        );
        const uri = totpUri(secret, phone);
        return { enrolment: { otpauthUri: uri, qrCodeSvg: await totpQrSvg(uri), secret } };
      });
    });
    if ('enrolment' in outcome) return outcome.enrolment;
    throw this.errorOf(outcome, allowance);
  }

  /** `address`: the client's; signed in, it counts as an address the number signs in from (SignInAttempts). */
  async confirm(command: { phone: string; activationCode: string; totpCode: string; address: string }, requestId: string | null): Promise<OfficialSessionView> {
    const phone = requirePhone(command.phone);
    const { allowance, outcome } = await this.attempt(phone, command, (seen) =>
      this.db.transaction(async (manager): Promise<Outcome<{ session: OfficialSessionView }>> => {
        const checked = await this.lockedAccount(manager, phone, seen, command.activationCode);
        if (!('row' in checked)) return checked;
        const { row } = checked;
        // The first step clears the secret a reset left and enrols a new one.
        if (row.totpSecret === null || row.passwordHash === null) {
          return { error: new AppError(OfficialAuthErrorCode.TotpNotEnrolled, 'Set your password and enrol your authenticator first') };
        }
        const step = totpStepOf(row, command.totpCode, this.config.bankAccountKey);
        // Whoever holds the code enrolled the secret: a wrong TOTP code is a slip, answered from the count.
        if (step === null) return { failed: OfficialAuthErrorCode.InvalidCredentials };
        // Finishing the activation signs the official in: their first sign-in.
        const lastSignInAt = await succeeded(manager, row, step, { signsIn: true });
        await manager.update(Official, { id: row.id }, { activationCodeHash: null, activationExpiresAt: null });
        await recordAudit(manager, {
          actorId: row.publicId,
          actorRole: row.role,
          action: 'official.activate',
          targetType: 'official',
          targetId: row.publicId,
          requestId,
        });
        return { session: await this.issuer.start(manager, { ...row, activationCodeHash: null, lastSignInAt }) };
      }),
    );
    if ('session' in outcome) {
      // Its attempt was given back: the address's count is forgotten and the address known.
      void this.attempts.succeeded(phone, command.address, null);
      return outcome.session;
    }
    throw this.errorOf(outcome, allowance);
  }

  /**
   * Takes an attempt, and checks the code on the account as it is, unlocked; `then` runs only
   * behind a right one. The attempt is given back unless what was decided failed: a right code
   * is no guess, and an attempt that decided nothing (the database did not answer) counts none.
   */
  private async attempt<T extends object>(
    phone: string,
    command: { activationCode: string; address: string },
    then: (seen: CredentialRow) => Promise<Outcome<T>>,
  ): Promise<{ allowance: Allowance; outcome: Outcome<T> }> {
    const allowance = await this.attempts.take(phone, command.address);
    if ('locked' in allowance) throw refusalError(allowance);
    try {
      const seen = await officialByPhone(this.db, phone);
      if (!seen || !activationHolds(seen, command.activationCode)) return { allowance, outcome: { failed: OfficialAuthErrorCode.ActivationCodeInvalid } };
      const outcome = await then(seen);
      if (!('failed' in outcome)) await this.attempts.giveBack(phone, command.address, allowance);
      return { allowance, outcome };
    } catch (error) {
      await this.attempts.giveBack(phone, command.address, allowance);
      throw error;
    }
  }

  /**
   * The account, locked, if nothing changed since it was read with the code holding; or why
   * not. A change meanwhile (the other step, a second click of this one, a reset) is no guess:
   * ACTIVATION_CHANGED, and nothing done.
   */
  private async lockedAccount(manager: EntityManager, phone: string, seen: CredentialRow, code: string): Promise<Outcome<{ row: CredentialRow }>> {
    const row = await lockedOfficialByPhone(manager, phone);
    // The code held on `seen`: holding on the row too, it is the same activation.
    if (!row || !activationHolds(row, code) || row.passwordHash !== seen.passwordHash) {
      return {
        error: new AppError(
          OfficialAuthErrorCode.ActivationChanged,
          'The activation changed while this step was checked (another step of it, or a second click): go on from the step that finished, or start again',
        ),
      };
    }
    if (row.lockedForSeconds > 0) return { refusal: { locked: row.lockedForSeconds } };
    if (row.disabledAt !== null) {
      return { error: new AppError(OfficialAccessErrorCode.AccountDisabled, 'Your account is disabled; ask an account administrator') };
    }
    return { row };
  }

  private errorOf(outcome: { refusal: CredentialRefusal } | { error: AppError } | { failed: OfficialAuthErrorCode }, allowance: Allowance): AppError {
    if ('failed' in outcome) return refusalError(this.attempts.refusal(allowance, outcome.failed));
    return 'error' in outcome ? outcome.error : refusalError(outcome.refusal);
  }
}
