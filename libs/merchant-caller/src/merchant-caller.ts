import { AuthUser, merchantIdOf, Role } from '@vouchers/auth';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { Merchant, MerchantStaff } from '@vouchers/database';
import type { MerchantStatus } from '@vouchers/eligibility';
import { EntityManager } from 'typeorm';
import { MerchantCallerErrorCode } from './merchant-caller-errors';

declare const checked: unique symbol;

export type MerchantRole = Role.MerchantAdmin | Role.MerchantStaff;

/**
 * A signed-in admin or cashier as the database has them now. Only requireMerchantCaller makes
 * one, and only from the verified token: the merchant is the token's, never one named by the
 * request. Every query of a merchant's own data takes a MerchantCaller (or its merchant id),
 * so a query scoped by anything else does not type-check.
 */
export interface MerchantCaller {
  /** Public ids. */
  readonly staffId: string;
  readonly merchantId: string;
  /** Internal ids, for the scoped queries; they never leave the server. */
  readonly staffRowId: string;
  readonly merchantRowId: string;
  /** As the staff row says now, which outranks the token's claim. */
  readonly role: MerchantRole;
  readonly merchantStatus: MerchantStatus;
  readonly [checked]: true;
}

export interface CallerOptions {
  /** Refuse (403 FORBIDDEN) unless the staff row is an admin's. */
  adminOnly?: boolean;
  /** Lock the merchant's row until the transaction ends, to serialise changes to it (inside a transaction only). */
  lockMerchant?: boolean;
  /**
   * Hold the staff row (FOR SHARE) until the transaction ends, inside a transaction only: a
   * disabling then commits wholly before the caller's act (which is refused) or waits until
   * it has committed, never in between. Not with lockMerchant (one lock mode a statement).
   */
  lockStaff?: boolean;
}

type CallerRow = {
  staffRowId: MerchantStaff['id'];
  merchantRowId: Merchant['id'];
  role: MerchantRole;
  status: MerchantStatus;
  tokenVersion: MerchantStaff['tokenVersion'];
};

/**
 * The caller's staff row at the token's merchant, still active. Access tokens are checked
 * without the database, so a cashier disabled a minute ago still holds a valid one; every
 * merchant-side route reads the row again (one probe of the staff's unique public id, then
 * the merchant by primary key) and answers 403 STAFF_INACTIVE. A token signed before the
 * member was last disabled (its version older than the row's) answers 401 even once they are
 * enabled again: the disabling ended their sessions, and they sign in again.
 */
export async function requireMerchantCaller(manager: EntityManager, user: AuthUser, options: CallerOptions = {}): Promise<MerchantCaller> {
  const merchantId = merchantIdOf(user);
  let query = manager
    .createQueryBuilder(MerchantStaff, 's')
    .innerJoin(Merchant, 'm', 'm.id = s.merchantId')
    .select('s.id', 'staffRowId')
    .addSelect('m.id', 'merchantRowId')
    .addSelect('s.role', 'role')
    .addSelect('m.status', 'status')
    .addSelect('s.tokenVersion', 'tokenVersion')
    .where('s.publicId = :staffId AND m.publicId = :merchantId AND s.disabledAt IS NULL', { staffId: user.sub, merchantId });
  if (options.lockMerchant && options.lockStaff) throw new Error('requireMerchantCaller: lockMerchant and lockStaff are exclusive');
  if (options.lockMerchant) query = query.setLock('pessimistic_write', undefined, ['m']);
  if (options.lockStaff) query = query.setLock('pessimistic_read', undefined, ['s']);
  const row = await query.getRawOne<CallerRow>();
  if (!row) {
    throw new AppError(MerchantCallerErrorCode.StaffInactive, 'Your staff account is disabled or gone; ask your merchant admin');
  }
  if (row.tokenVersion !== (user.tokenVersion ?? 0)) {
    throw new AppError(CommonErrorCode.Unauthenticated, 'Your account was disabled and enabled again since this token was signed; sign in again');
  }
  if (options.adminOnly && row.role !== Role.MerchantAdmin) {
    throw new AppError(CommonErrorCode.Forbidden, 'Only a merchant admin may do this');
  }
  return {
    staffId: user.sub,
    merchantId,
    staffRowId: String(row.staffRowId),
    merchantRowId: String(row.merchantRowId),
    role: row.role,
    merchantStatus: row.status,
  } as MerchantCaller;
}
