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

/** What an ID number finds at the desk: the verified account, the account its holder closed, or nothing. */
export type IdNumberFind = { kind: 'verified'; resident: VerifiedResident } | { kind: 'closed'; publicId: string; closedAt: Date } | { kind: 'none' };

/** The account holding this ID number (its keyed hash: unique, one account per person), verified and live or closed. */
export async function findByIdNumberHash(manager: EntityManager, idNumberHash: string): Promise<IdNumberFind> {
  const row = await manager.findOneBy(Resident, { idNumberHash });
  if (row?.closedAt) return { kind: 'closed', publicId: row.publicId, closedAt: row.closedAt };
  const resident = verified(row);
  return resident ? { kind: 'verified', resident } : { kind: 'none' };
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

/** The person closed this account: the desk tells them how it comes back (their own real-name verification) rather than "not found". */
export function residentClosed(closedAt: Date): AppError {
  return new AppError(
    ServiceDeskErrorCode.ResidentClosed,
    "The account of this ID number was closed by its holder; signing in on any number and verifying this ID number reopens it",
    { closedAt: closedAt.toISOString() },
  );
}

/** The resident's vouchers counted (VOUCHER_COUNTS). */
export async function voucherCountsOf(manager: EntityManager, residentId: string): Promise<DeskVoucherCountsView> {
  const [counts] = (await manager.query(VOUCHER_COUNTS, [residentId])) as DeskVoucherCountsView[];
  return counts;
}
