import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { MerchantStaff } from '@vouchers/database';
import { EntityManager, FindOptionsSelect, IsNull, MoreThan, Not } from 'typeorm';
import { MerchantCaller } from '@vouchers/merchant-caller';

export type StaffRole = Role.MerchantAdmin | Role.MerchantStaff;

/** The columns of a staff member the views need; the internal ids stay in the queries. */
export const STAFF_MEMBER = {
  publicId: true,
  name: true,
  phone: true,
  role: true,
  disabledAt: true,
  tokenVersion: true,
  createdAt: true,
} as const satisfies FindOptionsSelect<MerchantStaff>;

export type StaffMember = Pick<MerchantStaff, keyof typeof STAFF_MEMBER>;

/**
 * Adds a staff member to a merchant inside the caller's transaction; null when the number is
 * already on that merchant's staff (one row per merchant and number). ON CONFLICT DO NOTHING,
 * not a caught error, so the transaction stays usable; the only unique key a new row can meet
 * is the merchant and number (its public id is new). Takes the internal id: callers are the
 * registration, which has just made the merchant, and addCashier below.
 */
export async function insertStaffMember(
  manager: EntityManager,
  merchantRowId: string,
  staff: { phone: string; name: string; role: StaffRole },
): Promise<StaffMember | null> {
  const member = manager.create(MerchantStaff, { publicId: newPublicId(), merchantId: merchantRowId, ...staff, disabledAt: null, tokenVersion: 0 });
  // The insert fills in what the database generates (the id, created_at); nothing when it was ignored.
  const inserted = await manager.createQueryBuilder().insert().into(MerchantStaff).values(member).orIgnore().execute();
  return inserted.raw.length > 0 ? member : null;
}

export function addCashier(manager: EntityManager, caller: MerchantCaller, cashier: { phone: string; name: string }): Promise<StaffMember | null> {
  return insertStaffMember(manager, caller.merchantRowId, { ...cashier, role: Role.MerchantStaff });
}

/** The caller's merchant's staff, in order of joining, one keyset page (limit + 1 rows). */
export function listStaffOf(manager: EntityManager, caller: MerchantCaller, after: string | null, limit: number): Promise<StaffMember[]> {
  return manager.find(MerchantStaff, {
    select: STAFF_MEMBER,
    where: { merchantId: caller.merchantRowId, ...(after !== null ? { publicId: MoreThan(after) } : {}) },
    order: { publicId: 'ASC' },
    take: limit + 1,
  });
}

/**
 * Disables a staff member of the caller's own merchant (idempotent: the first time stands).
 * Raises their token version with it, so their access tokens of now stay refused if they are
 * enabled again. Null when the id is not on that merchant's staff, whoever else's it may be.
 * Answers the internal id too, for ending the member's sessions in the same transaction.
 */
export async function disableStaffOf(
  manager: EntityManager,
  caller: MerchantCaller,
  staffId: string,
): Promise<(StaffMember & Pick<MerchantStaff, 'id'>) | null> {
  const member = { publicId: staffId, merchantId: caller.merchantRowId };
  await manager.update(MerchantStaff, { ...member, disabledAt: IsNull() }, { disabledAt: () => 'now()', tokenVersion: () => 'token_version + 1' });
  return manager.findOne(MerchantStaff, { select: { ...STAFF_MEMBER, id: true }, where: member });
}

/**
 * Enables a disabled member of the caller's own merchant again (idempotent, as disabling is).
 * Their token version stays as the disabling raised it, so their sessions stay ended and
 * their older access tokens refused: they sign in again. Null when the id is not on that
 * merchant's staff, whoever else's it may be.
 */
export async function enableStaffOf(manager: EntityManager, caller: MerchantCaller, staffId: string): Promise<StaffMember | null> {
  const member = { publicId: staffId, merchantId: caller.merchantRowId };
  await manager.update(MerchantStaff, { ...member, disabledAt: Not(IsNull()) }, { disabledAt: null });
  return manager.findOne(MerchantStaff, { select: STAFF_MEMBER, where: member });
}
