import { Inject, Injectable } from '@nestjs/common';
import { OfficialAccessErrorCode } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { Official } from '@vouchers/database';
import { AccountRef, RefreshRefusal, refusalError, Sessions, wasRevoked } from '@vouchers/sessions';
import { DataSource } from 'typeorm';
import { OfficialSessionView } from './dtos/official-session.view';
import { OfficialSessionIssuer } from './official-session-issuer';

type Outcome = { session: OfficialSessionView } | { disabled: true } | { refusal: RefreshRefusal; account?: AccountRef };

const disabledError = () => new AppError(OfficialAccessErrorCode.AccountDisabled, 'Your account is disabled; ask an account administrator');

/**
 * Rotates an official's refresh token after reading the account again, so the access token it
 * mints carries the role, district and token version the account has now. A disabled account
 * (or one awaiting activation after a reset) loses every session, in the same transaction.
 */
@Injectable()
export class RefreshOfficialSession {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(OfficialSessionIssuer) private readonly issuer: OfficialSessionIssuer,
  ) {}

  async execute(refreshToken: string): Promise<OfficialSessionView> {
    const outcome = await this.db.transaction(async (manager): Promise<Outcome> => {
      const consumed = await this.sessions.consume(manager, 'official', refreshToken);
      if ('refusal' in consumed) return consumed;
      const { account } = consumed.spent;
      const official = await manager.findOneBy(Official, { id: account.id });
      if (!official || official.disabledAt !== null || official.activationCodeHash !== null) {
        await this.sessions.endEverySession(manager, account);
        return official?.disabledAt ? { disabled: true } : { refusal: 'ended', account };
      }
      return { session: this.issuer.viewOf(official, await this.sessions.renew(manager, consumed.spent)) };
    });
    if ('session' in outcome) return outcome.session;
    if ('disabled' in outcome) throw disabledError();
    // Disabling revoked the sessions: such a token then says the account was disabled, not only that the session ended.
    if (wasRevoked(outcome.refusal) && outcome.account) {
      const official = await this.db.manager.findOneBy(Official, { id: outcome.account.id });
      if (official?.disabledAt) throw disabledError();
    }
    throw refusalError(outcome.refusal);
  }
}
