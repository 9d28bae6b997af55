import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { OfficialAccessErrorCode } from './official-access-errors';
import { OFFICIAL_STANDING } from './official-standing.sql';
import { AuthUser, OFFICIAL_ROLES } from './roles';

interface StandingRow {
  disabled: boolean;
  tokenVersion: number;
  sessionLive: boolean;
}

/**
 * Access tokens are read without the database, so an official disabled a minute ago would
 * still hold a valid one for its lifetime. Officials are few and their routes are not hot, so
 * every guarded request of an official role pays one indexed Postgres read (no Redis: a cache
 * would bring back the window this closes): a disabled account is refused, and so is a token
 * signed before the account's last reset or change of role or district (its `tv` is older than
 * the row's token_version), and so is one of a session that ended: signed out, or ended with
 * every other session of the account when a spent refresh token came back. A token whose sub
 * has no row was not signed by sign-in (accounts are never deleted); it is left to the role
 * checks, like the tokens the tests sign.
 */
@Injectable()
export class OfficialStanding {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async check(user: AuthUser): Promise<void> {
    if (!OFFICIAL_ROLES.has(user.role)) return;
    const [row] = (await this.db.query(OFFICIAL_STANDING, [user.sub, user.sessionId ?? null])) as StandingRow[];
    if (!row) return;
    if (row.disabled) throw new AppError(OfficialAccessErrorCode.AccountDisabled, 'Your account is disabled; ask an account administrator');
    if ((user.tokenVersion ?? 0) !== row.tokenVersion) {
      throw new AppError(OfficialAccessErrorCode.AccessTokenRevoked, 'Your account changed since you signed in; sign in again');
    }
    if (!row.sessionLive) throw new AppError(OfficialAccessErrorCode.AccessTokenRevoked, 'You signed out of this session; sign in again');
  }
}
