import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { SessionView } from '../dtos/session.view';
import { ResidentErrorCode } from '../resident-errors';
import { findResidentById } from '../resident-lookup';
import { RefreshRefusal, RefreshTokens } from './refresh-tokens';
import { SessionIssuer } from './session-issuer';

const REFUSALS: Record<RefreshRefusal, [ResidentErrorCode, string]> = {
  unknown: [ResidentErrorCode.RefreshTokenInvalid, 'Sign in again'],
  expired: [ResidentErrorCode.RefreshTokenExpired, 'The session has expired; sign in again'],
  revoked: [
    ResidentErrorCode.RefreshTokenRevoked,
    'This refresh token was already used or revoked, so every session of this account has been ended; sign in again',
  ],
};

/** Rotates a refresh token: the old one is consumed and a new pair issued, in one transaction. */
@Injectable()
export class RefreshSession {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(RefreshTokens) private readonly refreshTokens: RefreshTokens,
    @Inject(SessionIssuer) private readonly sessions: SessionIssuer,
  ) {}

  async execute(refreshToken: string): Promise<SessionView> {
    const outcome = await this.db.transaction(async (manager) => {
      const consumed = await this.refreshTokens.consume(manager, refreshToken);
      if ('refusal' in consumed) return consumed;
      const resident = await findResidentById(manager, consumed.residentId);
      if (!resident) return { refusal: 'unknown' as const };
      return { session: await this.sessions.start(manager, resident) };
    });
    // Thrown only now, after the commit: a reuse must still revoke the resident's other sessions.
    if ('refusal' in outcome) {
      const [code, message] = REFUSALS[outcome.refusal];
      throw new AppError(code, message, 401);
    }
    return outcome.session;
  }
}
