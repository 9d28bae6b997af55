import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { recordAudit } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { staffViewOf, StaffView } from './dtos/staff.view';
import { requireMerchantCaller } from '@vouchers/merchant-caller';
import { Sessions } from '@vouchers/sessions';
import { StaffErrorCode } from './staff-errors';
import { disableStaffOf } from './staff-members';

/**
 * An admin disables a member of their own merchant's staff; they can no longer sign in, and
 * every session of theirs ends with the disabling (their access token is refused at once by
 * every merchant-side route, which reads the staff row). Their token version is raised too, so
 * if they are enabled again (EnableStaff) none of that comes back: they sign in again. Another
 * merchant's staff id answers 404 like an unknown one, so ids cannot be probed.
 */
@Injectable()
export class DisableStaff {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
  ) {}

  async execute(user: AuthUser, staffId: string, requestId: string | null): Promise<StaffView> {
    return this.db.transaction(async (manager) => {
      // The merchant's row lock serialises staff changes, so two admins cannot disable each other at once.
      const caller = await requireMerchantCaller(manager, user, { adminOnly: true, lockMerchant: true });
      if (staffId === caller.staffId) {
        throw new AppError(StaffErrorCode.CannotDisableSelf, 'You cannot disable your own account');
      }
      const disabled = await disableStaffOf(manager, caller, staffId);
      if (!disabled) throw new AppError(StaffErrorCode.StaffNotFound, 'No such staff member at your merchant');
      await this.sessions.endEverySession(manager, { kind: 'staff', id: String(disabled.id) });
      await recordAudit(manager, {
        actorId: caller.staffId,
        actorRole: caller.role,
        action: 'merchant.staff_disabled',
        targetType: 'merchant_staff',
        targetId: disabled.publicId,
        detail: { merchantId: caller.merchantId },
        requestId,
      });
      return staffViewOf(disabled);
    });
  }
}
