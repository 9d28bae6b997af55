import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { Official } from '@vouchers/database';
import { OfficialAccountErrorCode } from '@vouchers/officials';
import { EntityManager } from 'typeorm';

/** The account an administrator acts on, locked until the transaction ends so two changes take turns. */
export async function lockedTarget(manager: EntityManager, officialId: string): Promise<Official> {
  const official = await manager.findOne(Official, { where: { publicId: officialId }, lock: { mode: 'pessimistic_write' } });
  if (!official) throw new AppError(OfficialAccountErrorCode.OfficialNotFound, 'No such official');
  return official;
}

/** An administrator who disables, resets or demotes themselves could lock everyone out: another must. */
export function refuseOwnAccount(user: AuthUser, official: Official): void {
  if (official.publicId === user.sub) {
    throw new AppError(OfficialAccountErrorCode.CannotChangeOwnAccount, 'Another administrator must make this change to your account');
  }
}

export const actorOf = (user: AuthUser, requestId: string | null) => ({ actorId: user.sub, actorRole: user.role, requestId });
