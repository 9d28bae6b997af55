import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { AuthUser, OfficialAccessErrorCode } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { Official, recordAudit } from '@vouchers/database';
import { hashPassword, passwordError, PasswordErrorCode, passwordProblem } from '@vouchers/officials';
import { Sessions } from '@vouchers/sessions';
import { DataSource } from 'typeorm';
import { OfficialSessionView } from './dtos/official-session.view';
import { OfficialAuthErrorCode } from './official-auth-errors';
import { CredentialRefusal, failedAttempt, lockedOfficialById, passwordHolds, refusalError, succeeded, totpStepOf } from './official-credentials';
import { OfficialSessionIssuer } from './official-session-issuer';

export interface ChangePasswordCommand {
  currentPassword: string;
  newPassword: string;
  totpCode: string;
}

type Outcome = { session: OfficialSessionView } | { refusal: CredentialRefusal } | { error: AppError };

/**
 * A signed-in official changes their password, proving it is them with the current password and a
 * TOTP code (wrong ones count towards the lock, as at sign-in). Every other session ends and every
 * older access token is refused (the token version rises): whoever knew the old password is out.
 * Answers a new session for the device that made the change.
 */
@Injectable()
export class ChangeOfficialPassword {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(OfficialSessionIssuer) private readonly issuer: OfficialSessionIssuer,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute(user: AuthUser, command: ChangePasswordCommand, requestId: string | null): Promise<OfficialSessionView> {
    const outcome = await this.db.transaction(async (manager): Promise<Outcome> => {
      const known = await manager.findOne(Official, { select: { id: true }, where: { publicId: user.sub } });
      if (!known) return { error: new AppError(OfficialAccessErrorCode.AccessTokenRevoked, 'No such account; sign in again') };
      const row = await lockedOfficialById(manager, String(known.id));
      if (row.lockedForSeconds > 0) return { refusal: { locked: row.lockedForSeconds } };
      if (!(await passwordHolds(row, command.currentPassword))) {
        return { refusal: await failedAttempt(manager, row, OfficialAuthErrorCode.InvalidCredentials) };
      }
      const step = totpStepOf(row, command.totpCode, this.config.bankAccountKey);
      if (step === null) return { refusal: await failedAttempt(manager, row, OfficialAuthErrorCode.InvalidCredentials) };
      // Already signed in: a change of password is not a sign-in of its own.
      await succeeded(manager, row, step, { signsIn: false });
      const problem = passwordProblem(command.newPassword, row.phone);
      if (problem) return { error: passwordError(problem) };
      if (command.newPassword === command.currentPassword) return { error: passwordError(PasswordErrorCode.Unchanged) };
      const tokenVersion = row.tokenVersion + 1;
      await manager.update(Official, { id: row.id }, { passwordHash: await hashPassword(command.newPassword), tokenVersion });
      await this.sessions.endEverySession(manager, { kind: 'official', id: row.id });
      await recordAudit(manager, {
        actorId: row.publicId,
        actorRole: row.role,
        action: 'official.password_change',
        targetType: 'official',
        targetId: row.publicId,
        requestId,
      });
      return { session: await this.issuer.start(manager, { ...row, tokenVersion }) };
    });
    if ('session' in outcome) return outcome.session;
    throw 'error' in outcome ? outcome.error : refusalError(outcome.refusal);
  }
}
