import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { recordAudit } from '@vouchers/database';
import { requireMerchantCaller } from '@vouchers/merchant-caller';
import { DataSource } from 'typeorm';
import { staffViewOf, StaffView } from './dtos/staff.view';
import { StaffErrorCode } from './staff-errors';
import { enableStaffOf } from './staff-members';

/**
 * An admin enables a disabled member of their own merchant's staff again: they may sign in
 * again, and must. The disabling ended their sessions and raised their token version, and
 * neither comes back: no refresh token or access token from before the disabling opens
 * anything. Enabling an active member changes nothing and answers it (as disabling a disabled
 * one does); each request is audited, as each disabling is. Another merchant's staff id answers
 * 404 like an unknown one, so ids cannot be probed.
 */
@Injectable()
export class EnableStaff {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(user: AuthUser, staffId: string, requestId: string | null): Promise<StaffView> {
    return this.db.transaction(async (manager) => {
      // The merchant's row lock serialises staff changes, as for disabling.
      const caller = await requireMerchantCaller(manager, user, { adminOnly: true, lockMerchant: true });
      const enabled = await enableStaffOf(manager, caller, staffId);
      if (!enabled) throw new AppError(StaffErrorCode.StaffNotFound, 'No such staff member at your merchant');
      await recordAudit(manager, {
        actorId: caller.staffId,
        actorRole: caller.role,
        action: 'merchant.staff_enabled',
        targetType: 'merchant_staff',
        targetId: enabled.publicId,
        detail: { merchantId: caller.merchantId },
        requestId,
      });
      return staffViewOf(enabled);
    });
  }
}
