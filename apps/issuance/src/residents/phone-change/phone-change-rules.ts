import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { LotteryEntry, Resident, VoucherKey } from '@vouchers/database';
import type { OtpAudience } from '@vouchers/otp';
import { EntityManager, In, QueryFailedError } from 'typeorm';
import { liveAccount, requireOwnAccount, ResidentAccount } from '../resident-lookup';
import { PhoneChangeErrorCode } from './phone-change-errors';

const UNIQUE_VIOLATION = '23505';

/** The codes that prove a new number, for the resident's own change and the service desk's alike; never a sign-in code. */
export const PHONE_CHANGE_AUDIENCE = 'resident-phone-change' satisfies OtpAudience;

/** The caller's own row, refused when the new number is already theirs (nothing to change). */
export async function requireResident(manager: EntityManager, caller: AuthUser, options: { newPhone: string }): Promise<ResidentAccount> {
  const resident = await requireOwnAccount(manager, caller);
  refuseUnchanged(resident, options.newPhone);
  return resident;
}

export function refuseUnchanged(resident: ResidentAccount, newPhone: string): void {
  if (resident.phone === newPhone) throw new AppError(PhoneChangeErrorCode.PhoneUnchanged, 'This is already the number of your account');
}

/**
 * Locks the given residents' rows, lowest id first, until the transaction ends, and answers the
 * live ones among them. Always in that order: two residents each moving to the other's (empty)
 * number lock the same two rows, and would deadlock if each took its own row first.
 */
export async function lockResidents(manager: EntityManager, ids: string[]): Promise<ResidentAccount[]> {
  const rows = await manager
    .createQueryBuilder(Resident, 'resident')
    .where({ id: In(ids) })
    .orderBy('resident.id')
    .setLock('pessimistic_write')
    .getMany();
  return rows.map(liveAccount).filter((row): row is ResidentAccount => row !== null);
}

/**
 * Whether an account holds anything a person would miss: a real-name verification, a voucher
 * (voucher_keys has one row per voucher, by resident, in every campaign), or a lottery entry.
 * Only an account that holds nothing may give its number up to another.
 */
export async function holdsSomething(manager: EntityManager, resident: ResidentAccount): Promise<boolean> {
  if (resident.verifiedAt !== null) return true;
  if (await manager.exists(VoucherKey, { where: { residentId: resident.id } })) return true;
  return manager.exists(LotteryEntry, { where: { residentId: resident.id } });
}

export function phoneTaken(): AppError {
  return new AppError(PhoneChangeErrorCode.PhoneTaken, 'This number belongs to another account; sign in with it to use that account');
}

/** The only unique column the change writes is the phone: a violation means another account took the number meanwhile. */
export function refuseTakenPhone(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) throw phoneTaken();
  throw error;
}
