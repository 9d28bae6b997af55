import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@vouchers/common';
import { OneTimeCodes, requirePhone } from '@vouchers/otp';
import { Sessions } from '@vouchers/sessions';
import { DataSource } from 'typeorm';
import { StaffSessionView } from './dtos/staff-session.view';
import { StaffAuthErrorCode } from './staff-auth-errors';
import { findMembershipOfRow, findMemberships, stillMember } from './staff-memberships';
import { StaffSessionIssuer } from './staff-session-issuer';

export interface SignInStaffCommand {
  phone: string;
  code: string;
  merchantId?: string;
  address: string;
}

/**
 * Signs an admin or cashier in by phone and one-time code, to one merchant, for a shift: a
 * short-lived access token and a refresh token of a session that ends staffSessionTtlSeconds
 * after sign-in (or when they log out, or are disabled).
 */
@Injectable()
export class SignInStaff {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(StaffSessionIssuer) private readonly issuer: StaffSessionIssuer,
    @Inject(Sessions) private readonly sessions: Sessions,
  ) {}

  async execute(command: SignInStaffCommand): Promise<StaffSessionView> {
    const phone = requirePhone(command.phone);
    const memberships = await findMemberships(this.db.manager, phone);
    const mustChoose = command.merchantId === undefined && memberships.length > 1;
    // Nothing is told about the number before its code is proven. When a choice is still
    // needed, the good code is kept, so the same code answers again with the merchant chosen.
    await this.codes.verify({ ...command, consume: !mustChoose });
    if (mustChoose) {
      throw new AppError(StaffAuthErrorCode.MerchantChoiceRequired, 'This number works at several merchants; say which one', {
        merchants: memberships.map((membership) => ({ merchantId: membership.merchantId, shopName: membership.shopName })),
      });
    }
    const chosen = command.merchantId === undefined ? memberships[0] : memberships.find((m) => m.merchantId === command.merchantId);
    const notStaff = () => new AppError(StaffAuthErrorCode.NoMerchantAccess, 'This number is not on the active staff of that merchant, or of any');
    if (!chosen) throw notStaff();
    // Read again under the member's sessions lock: a disabling that commits between the first
    // read and the session's insert would otherwise leave this session live (and a re-enabling
    // would bring it back); under the lock, either this read sees it, or it ends this session.
    return this.db.transaction(async (manager) => {
      await this.sessions.lock(manager, { kind: 'staff', id: chosen.staffRowId });
      const now = stillMember(await findMembershipOfRow(manager, chosen.staffRowId));
      if ('lost' in now) throw notStaff();
      return this.issuer.start(manager, now.membership);
    });
  }
}
