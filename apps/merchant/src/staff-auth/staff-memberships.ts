import type { MerchantStatus } from '@vouchers/eligibility';
import { EntityManager } from 'typeorm';
import { StaffRow } from '../staff/staff.records';

/** One merchant a number may sign in to, with the staff row it signs in as. */
export interface Membership {
  staff: StaffRow;
  merchantId: string;
  shopName: string;
  merchantStatus: MerchantStatus;
}

interface MembershipRow extends StaffRow {
  merchant_public_id: string;
  shop_name: string;
  merchant_status: MerchantStatus;
}

/**
 * Where a number may sign in: its active staff rows at merchants not rejected (pending ones
 * may, to follow their review; suspended ones may, to read their statements).
 */
export async function findMemberships(manager: EntityManager, phone: string): Promise<Membership[]> {
  const rows: MembershipRow[] = await manager.query(
    `SELECT s.public_id, s.name, s.phone, s.role, s.disabled_at, s.created_at,
            m.public_id AS merchant_public_id, m.shop_name, m.status AS merchant_status
       FROM merchant_staff s JOIN merchants m ON m.id = s.merchant_id
      WHERE s.phone = $1 AND s.disabled_at IS NULL AND m.status <> 'rejected'
      ORDER BY m.public_id`,
    [phone],
  );
  return rows.map((row) => ({
    staff: { public_id: row.public_id, name: row.name, phone: row.phone, role: row.role, disabled_at: row.disabled_at, created_at: row.created_at },
    merchantId: row.merchant_public_id,
    shopName: row.shop_name,
    merchantStatus: row.merchant_status,
  }));
}
