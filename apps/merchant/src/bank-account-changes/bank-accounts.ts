import { newPublicId } from '@vouchers/common';
import { Merchant, MerchantBankAccountChange } from '@vouchers/database';
import { EntityManager, FindOptionsSelect, In } from 'typeorm';

/** The four columns of a bank account, named alike in the merchants table and the changes table. */
export const BANK_ACCOUNT = { bankAccountName: true, bankName: true, bankAccountCipher: true, bankAccountMasked: true } as const;

/** A bank account as the merchants table holds it: the number sealed, and masked; all null until one is given. */
export type StoredBankAccount = Pick<Merchant, keyof typeof BANK_ACCOUNT>;

/** A whole account, as a change holds it. */
export type WholeBankAccount = Pick<MerchantBankAccountChange, keyof typeof BANK_ACCOUNT>;

export type BankAccountChangeStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** The columns of a change shown to anyone: all but the internal ids and the cipher (only an approval copies it). */
export const BANK_ACCOUNT_CHANGE = {
  publicId: true,
  status: true,
  bankAccountName: true,
  bankName: true,
  bankAccountMasked: true,
  requestedBy: true,
  requestedAt: true,
  decidedBy: true,
  decidedAt: true,
  reason: true,
} as const satisfies FindOptionsSelect<MerchantBankAccountChange>;

export type BankAccountChange = Pick<MerchantBankAccountChange, keyof typeof BANK_ACCOUNT_CHANGE>;

/** The merchant's approved account, the one its payouts go to (the cipher included, to compare and copy). */
export function approvedBankAccountOf(manager: EntityManager, merchantRowId: string): Promise<StoredBankAccount> {
  // The id selected too: TypeORM reads a row whose selected columns are all null (no account yet) as no row.
  return manager.findOneOrFail(Merchant, { select: { id: true, ...BANK_ACCOUNT }, where: { id: merchantRowId } });
}

/** The merchant's change awaiting review, if any (at most one: a partial unique index). */
export function pendingChangeOf(manager: EntityManager, merchantRowId: string): Promise<BankAccountChange | null> {
  return manager.findOne(MerchantBankAccountChange, { select: BANK_ACCOUNT_CHANGE, where: { merchantId: merchantRowId, status: 'pending' } });
}

/** The merchant's latest change an official decided (approved or rejected; a withdrawn one is the merchant's own doing), or null. */
export function lastDecidedChangeOf(manager: EntityManager, merchantRowId: string): Promise<BankAccountChange | null> {
  return manager.findOne(MerchantBankAccountChange, {
    select: BANK_ACCOUNT_CHANGE,
    where: { merchantId: merchantRowId, status: In(['approved', 'rejected']) },
    order: { id: 'DESC' },
  });
}

/**
 * Withdraws the merchant's pending change, by a later request of its admin; answers its public
 * id, or null if none was pending. The caller holds the merchant's row lock, as everyone who
 * decides on its changes does, so the change found is still pending when it is updated.
 */
export async function withdrawPendingChange(manager: EntityManager, merchantRowId: string, staffId: string, reason: string): Promise<string | null> {
  const pending = await manager.findOne(MerchantBankAccountChange, {
    select: { id: true, publicId: true },
    where: { merchantId: merchantRowId, status: 'pending' },
  });
  if (!pending) return null;
  await manager.update(MerchantBankAccountChange, { id: pending.id }, { status: 'withdrawn', decidedBy: staffId, decidedAt: () => 'now()', reason });
  return pending.publicId;
}

/** Holds a new account for review. The caller holds the merchant's row lock and has withdrawn any pending change. */
export async function insertPendingChange(
  manager: EntityManager,
  merchantRowId: string,
  account: WholeBankAccount,
  requestedBy: string,
): Promise<BankAccountChange> {
  const change = manager.create(MerchantBankAccountChange, {
    publicId: newPublicId(),
    merchantId: merchantRowId,
    status: 'pending',
    ...account,
    requestedBy,
    decidedBy: null,
    decidedAt: null,
    reason: null,
  });
  // The insert fills in what the database generates (the id, requested_at).
  await manager.insert(MerchantBankAccountChange, change);
  return change;
}
