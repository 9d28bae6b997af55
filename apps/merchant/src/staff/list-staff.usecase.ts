import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { decodeIdCursor, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { ListStaffQuery } from './dtos/list-staff.query';
import { staffViewOf, StaffView } from './dtos/staff.view';
import { requireMerchantCaller } from './merchant-caller';
import { listStaffOf } from './staff-members';

/** The admin's own merchant's staff, disabled members included, so they can see who was. */
@Injectable()
export class ListStaff {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(user: AuthUser, query: ListStaffQuery): Promise<Page<StaffView>> {
    const after = decodeIdCursor(query.cursor);
    const caller = await requireMerchantCaller(this.db.manager, user, { adminOnly: true });
    const rows = await listStaffOf(this.db.manager, caller, after, query.limit);
    return toPage(rows, query.limit, (member) => [member.publicId], staffViewOf);
  }
}
