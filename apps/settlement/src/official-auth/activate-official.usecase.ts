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
  failedAttempt,
  lockedOfficialByPhone,
  passwordHolds,
  refusalError,
  succeeded,
  totpStepOf,
} from './official-credentials';
import { OfficialSessionIssuer } from './official-session-issuer';
import { SignInAttempts } from './sign-in-attempts';

type Refused = { refusal: CredentialRefusal } | { error: AppError };
type Checked = { row: CredentialRow } | Refused;

/**
 * Activation of a new or reset account, in two steps that both carry the activation code: the
 * first sets the password (by the rules) and enrols a new TOTP secret, answering its otpauth://
 * URI and QR code; the second proves the authenticator works with a code, ends the activation
 * and signs the official in. Until then the account cannot sign in. Wrong codes against an
 * outstanding activation count towards the account's lock like wrong passwords.
 */
@Injectable()
export class ActivateOfficial {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(OfficialSessionIssuer) private readonly issuer: OfficialSessionIssuer,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(SignInAttempts) private readonly attempts: SignInAttempts,
  ) {}

  async enrol(command: { phone: string; activationCode: string; newPassword: string }): Promise<TotpEnrolmentView> {
    const phone = requirePhone(command.phone);
    const problem = passwordProblem(command.newPassword, phone);
    if (problem) throw passwordError(problem);
    const outcome = await this.db.transaction(async (manager): Promise<Refused | { enrolment: TotpEnrolmentView }> => {
      const checked = await this.check(manager, phone, command.activationCode);
      if (!('row' in checked)) return checked;
      // A reset forces a change: the password it replaces may not come back.
      if (await passwordHolds(checked.row, command.newPassword)) return { error: passwordError(PasswordErrorCode.Unchanged) };
      const secret = newTotpSecret();
      await manager.update(
        Official,
        { id: checked.row.id },
        { passwordHash: await hashPassword(command.newPassword), totpSecret: sealTotpSecret(secret, this.config.bankAccountKey), totpLastStep: null },
      );
      const uri = totpUri(secret, phone);
      return { enrolment: { otpauthUri: uri, qrCodeSvg: await totpQrSvg(uri), secret } };
    });
    if ('enrolment' in outcome) return outcome.enrolment;
    throw this.errorOf(outcome);
  }

  /** `address`: the client's; signed in, it counts as an address the number signs in from (SignInAttempts). */
  async confirm(command: { phone: string; activationCode: string; totpCode: string; address: string }, requestId: string | null): Promise<OfficialSessionView> {
    const phone = requirePhone(command.phone);
    const outcome = await this.db.transaction(async (manager): Promise<Refused | { session: OfficialSessionView }> => {
      const checked = await this.check(manager, phone, command.activationCode);
      if (!('row' in checked)) return checked;
      const { row } = checked;
      // The first step clears the secret a reset left and enrols a new one.
      if (row.totpSecret === null || row.passwordHash === null) {
        return { error: new AppError(OfficialAuthErrorCode.TotpNotEnrolled, 'Set your password and enrol your authenticator first') };
      }
      const step = totpStepOf(row, command.totpCode, this.config.bankAccountKey);
      if (step === null) return { refusal: await failedAttempt(manager, row, OfficialAuthErrorCode.InvalidCredentials) };
      await succeeded(manager, row, step);
      await manager.update(Official, { id: row.id }, { activationCodeHash: null, activationExpiresAt: null });
      await recordAudit(manager, {
        actorId: row.publicId,
        actorRole: row.role,
        action: 'official.activate',
        targetType: 'official',
        targetId: row.publicId,
        requestId,
      });
      return { session: await this.issuer.start(manager, { ...row, activationCodeHash: null }) };
    });
    if ('session' in outcome) {
      void this.attempts.succeeded(phone, command.address, null);
      return outcome.session;
    }
    throw this.errorOf(outcome);
  }

  /**
   * The account the code activates, locked; or why not. A wrong code counts as a failed attempt
   * only against an activation outstanding: an account with none (active, or its activation
   * expired) has no code to guess, and counting would let anyone who knows an official's number
   * lock them out of signing in. It is answered as an unknown number is.
   */
  private async check(manager: EntityManager, phone: string, code: string): Promise<Checked> {
    const row = await lockedOfficialByPhone(manager, phone);
    const noActivation = { refusal: { invalid: null, code: OfficialAuthErrorCode.ActivationCodeInvalid } };
    // Before the lock: an account with no activation (locked or not) answers as an unknown number.
    if (!row || row.activationCodeHash === null || row.activationExpired) return noActivation;
    if (row.lockedForSeconds > 0) return { refusal: { locked: row.lockedForSeconds } };
    if (!activationHolds(row, code)) return { refusal: await failedAttempt(manager, row, OfficialAuthErrorCode.ActivationCodeInvalid) };
    if (row.disabledAt !== null) {
      return { error: new AppError(OfficialAccessErrorCode.AccountDisabled, 'Your account is disabled; ask an account administrator') };
    }
    return { row };
  }

  private errorOf(outcome: Refused): AppError {
    return 'error' in outcome ? outcome.error : refusalError(outcome.refusal);
  }
}
