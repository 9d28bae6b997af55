import { Inject, Injectable } from '@nestjs/common';
import { refusalError, Sessions } from '@vouchers/sessions';
import { DataSource } from 'typeorm';
import { SessionView } from '../dtos/session.view';
import { findResidentById } from '../resident-lookup';
import { SessionIssuer } from './session-issuer';

/** Rotates a resident's refresh token: the old one is consumed and a new pair issued, in one transaction. */
@Injectable()
export class RefreshSession {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(SessionIssuer) private readonly issuer: SessionIssuer,
  ) {}

  async execute(refreshToken: string): Promise<SessionView> {
    const outcome = await this.db.transaction(async (manager) => {
      const consumed = await this.sessions.consume(manager, 'resident', refreshToken);
      if ('refusal' in consumed) return consumed;
      const resident = await findResidentById(manager, consumed.spent.account.id);
      if (!resident) return { refusal: 'unknown' as const };
      return { session: this.issuer.viewOf(resident, await this.sessions.renew(manager, consumed.spent)) };
    });
    // Thrown only now, after the commit: a reuse must still revoke the resident's other sessions.
    if ('refusal' in outcome) throw refusalError(outcome.refusal);
    return outcome.session;
  }
}
