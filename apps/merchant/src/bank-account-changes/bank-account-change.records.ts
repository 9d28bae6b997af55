import { newPublicId } from '@vouchers/common';
import { EntityManager } from 'typeorm';

/** A bank account as the merchants table and the changes table both hold it: the number sealed, and masked. */
export interface StoredBankAccount {
  bank_account_name: string | null;
  bank_name: string | null;
  bank_account_cipher: string | null;
  bank_account_masked: string | null;
}

/** A whole account, as a change holds it. */
export type WholeBankAccount = { [K in keyof StoredBankAccount]: string };

export type BankAccountChangeStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** A merchant_bank_account_changes row as Postgres returns it (the cipher left out: only an approval copies it). */
export interface BankAccountChangeRecord {
  public_id: string;
  status: BankAccountChangeStatus;
  bank_account_name: string;
  bank_name: string;
  bank_account_masked: string;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
}

export const CHANGE_COLUMNS =
  'public_id, status, bank_account_name, bank_name, bank_account_masked, requested_by, requested_at, decided_by, decided_at, reason';

/** The merchant's approved account, the one its payouts go to (the cipher included, to compare and copy). */
export async function approvedBankAccountOf(manager: EntityManager, merchantRowId: string): Promise<StoredBankAccount> {
  const [row]: StoredBankAccount[] = await manager.query(
    'SELECT bank_account_name, bank_name, bank_account_cipher, bank_account_masked FROM merchants WHERE id = $1',
    [merchantRowId],
  );
  return row;
}

/** The merchant's change awaiting review, if any (at most one: a partial unique index). */
export async function pendingChangeOf(manager: EntityManager, merchantRowId: string): Promise<BankAccountChangeRecord | null> {
  const rows: BankAccountChangeRecord[] = await manager.query(
    `SELECT ${CHANGE_COLUMNS} FROM merchant_bank_account_changes WHERE merchant_id = $1 AND status = 'pending'`,
    [merchantRowId],
  );
  return rows[0] ?? null;
}

/** Withdraws the merchant's pending change, by a later request of its admin; answers its public id, or null if none was pending. */
export async function withdrawPendingChange(manager: EntityManager, merchantRowId: string, staffId: string, reason: string): Promise<string | null> {
  const [rows]: [Array<{ public_id: string }>, number] = await manager.query(
    `UPDATE merchant_bank_account_changes SET status = 'withdrawn', decided_by = $2, decided_at = now(), reason = $3
      WHERE merchant_id = $1 AND status = 'pending' RETURNING public_id`,
    [merchantRowId, staffId, reason],
  );
  return rows[0]?.public_id ?? null;
}

/** Holds a new account for review. The caller holds the merchant's row lock and has withdrawn any pending change. */
export async function insertPendingChange(
  manager: EntityManager,
  merchantRowId: string,
  account: WholeBankAccount,
  requestedBy: string,
): Promise<BankAccountChangeRecord> {
  const [row]: BankAccountChangeRecord[] = await manager.query(
    `INSERT INTO merchant_bank_account_changes (public_id, merchant_id, bank_account_name, bank_name, bank_account_cipher, bank_account_masked, requested_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CHANGE_COLUMNS}`,
    [newPublicId(), merchantRowId, account.bank_account_name, account.bank_name, account.bank_account_cipher, account.bank_account_masked, requestedBy],
  );
  return row;
}
