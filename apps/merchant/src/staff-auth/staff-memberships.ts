import { Merchant, MerchantStaff } from '@vouchers/database';
import type { MerchantStatus } from '@vouchers/eligibility';
import { MerchantCallerErrorCode } from '@vouchers/merchant-caller';
import { EntityManager } from 'typeorm';
import { STAFF_MEMBER, StaffMember } from '../staff/staff-members';
import { StaffAuthErrorCode } from './staff-auth-errors';

/** One merchant a number may sign in to, with the staff row it signs in as. */
export interface Membership {
  /** Internal id of the staff row: the account a staff session belongs to. */
  staffRowId: string;
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
  const rows = await membershipQuery(manager)
    .where('s.phone = :phone', { phone })
    .andWhere('s.disabledAt IS NULL')
    .andWhere("m.status <> 'rejected'")
    .orderBy('m.publicId')
    .getMany();
  return rows.map(membershipOf);
}

/**
 * The staff row a session belongs to and its merchant, as they are now, or null when the row
 * is gone. A refresh reads it to check the member may still sign in (stillMember).
 */
export async function findMembershipOfRow(manager: EntityManager, staffRowId: string): Promise<Membership | null> {
  const row = await membershipQuery(manager)
    .where('s.id = :staffRowId', { staffRowId })
    .getOne();
  return row ? membershipOf(row) : null;
}

export type LostMembership = MerchantCallerErrorCode.StaffInactive | StaffAuthErrorCode.NoMerchantAccess;

/** The member, when they may still sign in to that merchant (the rules of findMemberships), or why not. */
export function stillMember(membership: Membership | null): { membership: Membership } | { lost: LostMembership } {
  if (!membership || membership.staff.disabledAt !== null) return { lost: MerchantCallerErrorCode.StaffInactive };
  if (membership.merchantStatus === 'rejected') return { lost: StaffAuthErrorCode.NoMerchantAccess };
  return { membership };
}

function membershipQuery(manager: EntityManager) {
  return manager
    .createQueryBuilder(MerchantStaff, 's')
    .innerJoin('s.merchant', 'm')
    .select(['s.id', ...Object.keys(STAFF_MEMBER).map((field) => `s.${field}`)])
    .addSelect(['m.publicId', 'm.shopName', 'm.status']);
}

function membershipOf({ merchant, id, ...staff }: MerchantStaff): Membership {
  // Joined, not left-joined: every staff row has its merchant.
  const { publicId, shopName, status } = merchant as Merchant;
  return { staffRowId: String(id), staff, merchantId: publicId, shopName, merchantStatus: status as MerchantStatus };
}
