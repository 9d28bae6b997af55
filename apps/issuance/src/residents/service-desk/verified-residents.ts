import { AppError } from '@vouchers/common';
import { Resident } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { liveAccount, ResidentAccount } from '../resident-lookup';
import { DeskVoucherCountsView } from './dtos/resident-at-desk.view';
import { VOUCHER_COUNTS } from './service-desk.sql';
import { ServiceDeskErrorCode } from './service-desk-errors';

/** A live account that is real-name verified: the only kind the service desk finds or moves (the card proves who holds it). */
export type VerifiedResident = ResidentAccount & { realName: string; idNumberMasked: string; verifiedAt: Date };

function verified(row: Resident | null): VerifiedResident | null {
  const account = liveAccount(row);
  return account && account.verifiedAt !== null && account.realName !== null && account.idNumberMasked !== null
    ? (account as VerifiedResident)
    : null;
}

/** The verified account holding this ID number (its keyed hash: unique, one account per person), or null. */
export async function findVerifiedByIdNumberHash(manager: EntityManager, idNumberHash: string): Promise<VerifiedResident | null> {
  return verified(await manager.findOneBy(Resident, { idNumberHash }));
}

/** The verified account with this public id; 404 VERIFIED_RESIDENT_NOT_FOUND for any other (none, unverified, retired). */
export async function requireVerified(manager: EntityManager, publicId: string): Promise<VerifiedResident> {
  const resident = verified(await manager.findOneBy(Resident, { publicId }));
  if (!resident) throw residentNotFound();
  return resident;
}

export function residentNotFound(): AppError {
  return new AppError(ServiceDeskErrorCode.VerifiedResidentNotFound, 'No real-name-verified resident account has this ID number or id');
}

/** The resident's vouchers counted (VOUCHER_COUNTS). */
export async function voucherCountsOf(manager: EntityManager, residentId: string): Promise<DeskVoucherCountsView> {
  const [counts] = (await manager.query(VOUCHER_COUNTS, [residentId])) as DeskVoucherCountsView[];
  return counts;
}
