import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { MerchantCallerErrorCode } from '@vouchers/merchant-caller';
import { AccountRef, RefreshRefusal, refusalError, Sessions, wasRevoked } from '@vouchers/sessions';
import { DataSource } from 'typeorm';
import { StaffSessionView } from './dtos/staff-session.view';
import { StaffAuthErrorCode } from './staff-auth-errors';
import { findMembershipOfRow, LostMembership, stillMember } from './staff-memberships';
import { StaffSessionIssuer } from './staff-session-issuer';

type Outcome = { session: StaffSessionView } | { lost: LostMembership } | { refusal: RefreshRefusal; account?: AccountRef };

const LOST: Record<LostMembership, string> = {
  [MerchantCallerErrorCode.StaffInactive]: 'Your staff account was disabled; ask your merchant admin',
  [StaffAuthErrorCode.NoMerchantAccess]: 'You are no longer on the active staff of this merchant',
};

/**
 * Rotates a staff member's refresh token after checking again that they may still sign in to
 * that merchant (their row active, the merchant not rejected), so the access token it mints is
 * as good as a sign-in's. A member who may not loses every session, in the same transaction.
 */
@Injectable()
export class RefreshStaffSession {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(StaffSessionIssuer) private readonly issuer: StaffSessionIssuer,
  ) {}

  async execute(refreshToken: string): Promise<StaffSessionView> {
    const outcome = await this.db.transaction(async (manager): Promise<Outcome> => {
      const consumed = await this.sessions.consume(manager, 'staff', refreshToken);
      if ('refusal' in consumed) return consumed;
      const check = stillMember(await findMembershipOfRow(manager, consumed.spent.account.id));
      if ('lost' in check) {
        await this.sessions.endEverySession(manager, consumed.spent.account);
        return check;
      }
      return { session: this.issuer.viewOf(check.membership, await this.sessions.renew(manager, consumed.spent)) };
    });
    // Thrown only now, after the commit: a reuse must still end the member's other sessions.
    if ('session' in outcome) return outcome.session;
    if ('lost' in outcome) throw lostError(outcome.lost);
    const lost = await this.lostSinceRevoked(outcome.refusal, outcome.account);
    throw lost ? lostError(lost) : refusalError(outcome.refusal);
  }

  /** Disabling a cashier revokes their sessions: their token then says they were disabled, not only that the session ended. */
  private async lostSinceRevoked(refusal: RefreshRefusal, account: AccountRef | undefined): Promise<LostMembership | null> {
    if (!wasRevoked(refusal) || !account) return null;
    const check = stillMember(await findMembershipOfRow(this.db.manager, account.id));
    return 'lost' in check ? check.lost : null;
  }
}

function lostError(lost: LostMembership): AppError {
  return new AppError(lost, LOST[lost]);
}
