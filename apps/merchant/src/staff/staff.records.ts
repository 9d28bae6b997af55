import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { EntityManager } from 'typeorm';
import { MerchantCaller } from '@vouchers/merchant-caller';

export type StaffRole = Role.MerchantAdmin | Role.MerchantStaff;

/** A staff row as the views need it; the internal ids stay in the queries. */
export interface StaffRow {
  public_id: string;
  name: string;
  phone: string;
  role: StaffRole;
  disabled_at: Date | null;
  created_at: Date;
}

export const STAFF_COLUMNS = 'public_id, name, phone, role, disabled_at, created_at';

/**
 * Adds a staff member to a merchant inside the caller's transaction; null when the number is
 * already on that merchant's staff (one row per merchant and number). Takes the internal id:
 * callers are the registration, which has just made the merchant, and addCashier below.
 */
export async function insertStaffRow(
  manager: EntityManager,
  merchantRowId: string,
  staff: { phone: string; name: string; role: StaffRole },
): Promise<StaffRow | null> {
  const rows: StaffRow[] = await manager.query(
    `INSERT INTO merchant_staff (public_id, merchant_id, phone, name, role) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ON CONSTRAINT merchant_staff_merchant_phone_key DO NOTHING
     RETURNING ${STAFF_COLUMNS}`,
    [newPublicId(), merchantRowId, staff.phone, staff.name, staff.role],
  );
  return rows[0] ?? null;
}

export async function addCashier(manager: EntityManager, caller: MerchantCaller, cashier: { phone: string; name: string }): Promise<StaffRow | null> {
  return insertStaffRow(manager, caller.merchantRowId, { ...cashier, role: Role.MerchantStaff });
}

/** The caller's merchant's staff, in order of joining, one keyset page (limit + 1 rows). */
export async function listStaffOf(manager: EntityManager, caller: MerchantCaller, after: string | null, limit: number): Promise<StaffRow[]> {
  return manager.query(
    `SELECT ${STAFF_COLUMNS} FROM merchant_staff
      WHERE merchant_id = $1 AND ($2::uuid IS NULL OR public_id > $2::uuid)
      ORDER BY public_id LIMIT $3`,
    [caller.merchantRowId, after, limit + 1],
  );
}

/**
 * Disables a staff member of the caller's own merchant (idempotent: the first time stands).
 * Null when the id is not on that merchant's staff, whoever else's it may be.
 */
export async function disableStaffOf(manager: EntityManager, caller: MerchantCaller, staffId: string): Promise<StaffRow | null> {
  const [rows]: [StaffRow[], number] = await manager.query(
    `UPDATE merchant_staff SET disabled_at = coalesce(disabled_at, now())
      WHERE public_id = $1 AND merchant_id = $2
      RETURNING ${STAFF_COLUMNS}`,
    [staffId, caller.merchantRowId],
  );
  return rows[0] ?? null;
}
