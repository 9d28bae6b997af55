import { AppError } from '@vouchers/common';
import type { OtpAudience } from '@vouchers/otp';
import { EntityManager } from 'typeorm';
import { ResidentAccount } from '../resident-lookup';
import { voucherCountsOf } from '../service-desk/verified-residents';
import { ClosingErrorCode } from './closing-errors';

/** The codes that confirm a closing; never a sign-in or number-change code. */
export const CLOSING_AUDIENCE = 'resident-closing' satisfies OtpAudience;

/**
 * How many unused vouchers (claimed, not yet expired) the account holds; 409 UNUSED_VOUCHERS,
 * with the count, when there are any and the resident has not said they give them up.
 */
export async function refuseUnusedVouchers(manager: EntityManager, resident: ResidentAccount, giveUp: boolean): Promise<number> {
  const { unused } = await voucherCountsOf(manager, resident.id);
  if (unused > 0 && !giveUp) {
    throw new AppError(ClosingErrorCode.UnusedVouchers, `This account holds ${unused} unused voucher(s); use them first, or confirm you give them up`, {
      count: unused,
    });
  }
  return unused;
}
