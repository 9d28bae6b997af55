import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { recordAudit } from '@vouchers/database';
import { requirePhone } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { AddCashierDto } from './dtos/add-cashier.dto';
import { staffViewOf, StaffView } from './dtos/staff.view';
import { requireMerchantCaller } from './merchant-caller';
import { StaffErrorCode } from './staff-errors';
import { normaliseStaffName } from './staff-name';
import { addCashier } from './staff-members';

/** An admin adds a cashier to their own merchant: the merchant is the token's, never the request's. */
@Injectable()
export class AddCashier {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(user: AuthUser, command: AddCashierDto, requestId: string | null): Promise<StaffView> {
    const phone = requirePhone(command.phone);
    const name = normaliseStaffName(command.name);
    if (name === null) throw AppError.badRequest(StaffErrorCode.StaffNameInvalid, 'A name is 1-64 characters');
    return this.db.transaction(async (manager) => {
      const caller = await requireMerchantCaller(manager, user, { adminOnly: true });
      const cashier = await addCashier(manager, caller, { phone, name });
      if (!cashier) throw AppError.conflict(StaffErrorCode.StaffPhoneTaken, 'This number is already on your staff');
      await recordAudit(manager, {
        actorId: caller.staffId,
        actorRole: caller.role,
        action: 'merchant.staff_added',
        targetType: 'merchant_staff',
        targetId: cashier.publicId,
        detail: { merchantId: caller.merchantId, role: cashier.role },
        requestId,
      });
      return staffViewOf(cashier);
    });
  }
}
