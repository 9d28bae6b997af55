import { AuthUser, merchantIdOf, Role } from '@vouchers/auth';
import { AppError, CommonErrorCode } from '@vouchers/common';
import type { MerchantStatus } from '@vouchers/eligibility';
import { EntityManager } from 'typeorm';
import { StaffErrorCode } from './staff-errors';

declare const checked: unique symbol;

/**
 * A signed-in admin or cashier as the database has them now. Only requireMerchantCaller makes
 * one, and only from the verified token: the merchant is the token's, never one named by the
 * request. Every query of a merchant's own data takes a MerchantCaller, so a query scoped by
 * anything else does not type-check.
 */
export interface MerchantCaller {
  /** Public ids. */
  readonly staffId: string;
  readonly merchantId: string;
  /** Internal ids, for the scoped queries; they never leave the server. */
  readonly staffRowId: string;
  readonly merchantRowId: string;
  /** As the staff row says now, which outranks the token's claim. */
  readonly role: Role.MerchantAdmin | Role.MerchantStaff;
  readonly merchantStatus: MerchantStatus;
  readonly [checked]: true;
}

export interface CallerOptions {
  /** Refuse (403) unless the staff row is an admin's. */
  adminOnly?: boolean;
  /** Lock the merchant's row until the transaction ends, to serialise changes to it. */
  lockMerchant?: boolean;
}

interface CallerRow {
  staff_row_id: string;
  merchant_row_id: string;
  role: Role.MerchantAdmin | Role.MerchantStaff;
  status: MerchantStatus;
}

/**
 * The caller's staff row at the token's merchant, still active. Access tokens are checked
 * without the database, so a cashier disabled a minute ago still holds a valid one; every
 * merchant-side route here reads the row again and answers 403 STAFF_INACTIVE.
 */
export async function requireMerchantCaller(manager: EntityManager, user: AuthUser, options: CallerOptions = {}): Promise<MerchantCaller> {
  const merchantId = merchantIdOf(user);
  const rows: CallerRow[] = await manager.query(
    `SELECT s.id AS staff_row_id, m.id AS merchant_row_id, s.role, m.status
       FROM merchant_staff s JOIN merchants m ON m.id = s.merchant_id
      WHERE s.public_id = $1 AND m.public_id = $2 AND s.disabled_at IS NULL${options.lockMerchant ? ' FOR UPDATE OF m' : ''}`,
    [user.sub, merchantId],
  );
  if (rows.length === 0) {
    throw new AppError(StaffErrorCode.StaffInactive, 'Your staff account is disabled or gone; ask your merchant admin', 403);
  }
  const [row] = rows;
  if (options.adminOnly && row.role !== Role.MerchantAdmin) {
    throw new AppError(CommonErrorCode.Forbidden, 'Only a merchant admin may do this', 403);
  }
  return {
    staffId: user.sub,
    merchantId,
    staffRowId: String(row.staff_row_id),
    merchantRowId: String(row.merchant_row_id),
    role: row.role,
    merchantStatus: row.status,
  } as MerchantCaller;
}
