import { newPublicId } from '@vouchers/common';
import { Resident } from '@vouchers/database';
import { EntityManager } from 'typeorm';

/** A resident as the sign-in and profile use cases need it. Never sent out as it is; `id` never leaves the server. */
export type ResidentAccount = Pick<Resident, 'id' | 'publicId' | 'phone' | 'realName' | 'idNumberHash' | 'idNumberMasked' | 'verifiedAt'>;

/**
 * The resident with this number, created on first sign-in. Two first sign-ins racing both
 * end with the one row: the loser's insert does nothing (it waits for the winner's to commit)
 * and it reads the winner's.
 */
export async function findOrCreateResidentByPhone(manager: EntityManager, phone: string): Promise<ResidentAccount> {
  const existing = await manager.findOneBy(Resident, { phone });
  if (existing) return existing;
  await manager.createQueryBuilder().insert().into(Resident).values({ publicId: newPublicId(), phone }).orIgnore().execute();
  return manager.findOneByOrFail(Resident, { phone });
}

/**
 * The caller's own row: the public id comes from the verified token's subject, never from
 * the request. `forUpdate` holds the row until the transaction ends.
 */
export function findResidentByPublicId(
  manager: EntityManager,
  publicId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ResidentAccount | null> {
  return manager.findOne(Resident, { where: { publicId }, ...(options.forUpdate ? { lock: { mode: 'pessimistic_write' } } : {}) });
}

export function findResidentById(manager: EntityManager, id: string): Promise<ResidentAccount | null> {
  return manager.findOneBy(Resident, { id });
}
