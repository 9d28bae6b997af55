import { Merchant, MerchantStaff } from '@vouchers/database';
import type { MerchantStatus } from '@vouchers/eligibility';
import { EntityManager } from 'typeorm';
import { STAFF_MEMBER, StaffMember } from '../staff/staff-members';

/** One merchant a number may sign in to, with the staff row it signs in as. */
export interface Membership {
  staff: StaffMember;
  merchantId: string;
  shopName: string;
  merchantStatus: MerchantStatus;
}

/**
 * Where a number may sign in: its active staff rows at merchants not rejected (pending ones
 * may, to follow their review; suspended ones may, to read their statements).
 */
export async function findMemberships(manager: EntityManager, phone: string): Promise<Membership[]> {
  const rows = await manager
    .createQueryBuilder(MerchantStaff, 's')
    .innerJoin('s.merchant', 'm')
    .select(Object.keys(STAFF_MEMBER).map((field) => `s.${field}`))
    .addSelect(['m.publicId', 'm.shopName', 'm.status'])
    .where('s.phone = :phone', { phone })
    .andWhere('s.disabledAt IS NULL')
    .andWhere("m.status <> 'rejected'")
    .orderBy('m.publicId')
    .getMany();
  return rows.map(({ merchant, ...staff }) => {
    // Joined, not left-joined: every staff row has its merchant.
    const { publicId, shopName, status } = merchant as Merchant;
    return { staff, merchantId: publicId, shopName, merchantStatus: status as MerchantStatus };
  });
}
