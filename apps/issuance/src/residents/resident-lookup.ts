import { AuthUser } from '@vouchers/auth';
import { AppError, newPublicId } from '@vouchers/common';
import { Resident } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { ResidentErrorCode } from './resident-errors';

/**
 * A live resident as the sign-in and profile use cases need it: one with a number. Never sent
 * out as it is; `id` never leaves the server. A retired account (phone NULL: its number went to
 * another account by a number change) is none: every lookup here passes it over, so its old
 * tokens find no one (RESIDENT_NOT_FOUND, a refresh refused).
 */
export type ResidentAccount = Pick<Resident, 'id' | 'publicId' | 'realName' | 'idNumberHash' | 'idNumberMasked' | 'verifiedAt'> & { phone: string };

/** The row if it is a live account, or null. */
export function liveAccount(row: Resident | null): ResidentAccount | null {
  return row && row.phone !== null ? { ...row, phone: row.phone } : null;
}

/**
 * The resident with this number, created on first sign-in. Two first sign-ins racing both
 * end with the one row: the loser's insert does nothing (it waits for the winner's to commit)
 * and it reads the winner's.
 */
export async function findOrCreateResidentByPhone(manager: EntityManager, phone: string): Promise<ResidentAccount> {
  const existing = liveAccount(await manager.findOneBy(Resident, { phone }));
  if (existing) return existing;
  await manager.createQueryBuilder().insert().into(Resident).values({ publicId: newPublicId(), phone }).orIgnore().execute();
  return liveAccount(await manager.findOneByOrFail(Resident, { phone })) as ResidentAccount;
}

/**
 * The caller's own live account: the public id comes from the verified token's subject, never
 * from the request. A closed or retired account has no number: 404 RESIDENT_NOT_FOUND, sign in
 * again. `forUpdate` holds the row until the transaction ends.
 */
export async function requireOwnAccount(manager: EntityManager, caller: AuthUser, options: { forUpdate?: boolean } = {}): Promise<ResidentAccount> {
  const resident = liveAccount(
    await manager.findOne(Resident, { where: { publicId: caller.sub }, ...(options.forUpdate ? { lock: { mode: 'pessimistic_write' } } : {}) }),
  );
  if (!resident) throw residentNotFound();
  return resident;
}

export function residentNotFound(): AppError {
  return new AppError(ResidentErrorCode.ResidentNotFound, 'No such resident; sign in again');
}

export async function findResidentById(manager: EntityManager, id: string): Promise<ResidentAccount | null> {
  return liveAccount(await manager.findOneBy(Resident, { id }));
}
