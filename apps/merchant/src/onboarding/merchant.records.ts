import { newPublicId } from '@vouchers/common';
import type { MerchantStatus } from '@vouchers/eligibility';
import { EntityManager } from 'typeorm';
import { MerchantCaller } from '@vouchers/merchant-caller';

/**
 * A merchants row as Postgres returns it (snake_case), for every reader in this app. The bank
 * account's cipher is not part of it: only the importer (which compares numbers) selects it.
 */
export interface MerchantRecord {
  public_id: string;
  credit_code: string;
  registered_name: string;
  shop_name: string;
  district: string;
  category: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  contact_phone: string | null;
  bank_account_name: string | null;
  bank_name: string | null;
  bank_account_masked: string | null;
  status: MerchantStatus;
  created_at: Date;
  updated_at: Date;
}

export const MERCHANT_COLUMNS =
  'public_id, credit_code, registered_name, shop_name, district, category, address, latitude, longitude, ' +
  'contact_phone, bank_account_name, bank_name, bank_account_masked, status, created_at, updated_at';

export interface NewMerchant {
  creditCode: string;
  registeredName: string;
  shopName: string;
  district: string;
  category: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  contactPhone: string | null;
  bankAccountName: string;
  bankName: string;
  bankAccountCipher: string;
  bankAccountMasked: string;
}

/**
 * Inserts a pending merchant; null when its credit code is already registered (one merchant
 * per business). ON CONFLICT, not a caught error, so the transaction stays usable and two
 * registrations racing for one code end with one row and one 409.
 */
export async function insertPendingMerchant(manager: EntityManager, merchant: NewMerchant): Promise<(MerchantRecord & { id: string }) | null> {
  const rows: Array<MerchantRecord & { id: string }> = await manager.query(
    `INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address, latitude, longitude,
                            contact_phone, bank_account_name, bank_name, bank_account_cipher, bank_account_masked, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'pending')
     ON CONFLICT (credit_code) DO NOTHING
     RETURNING id, ${MERCHANT_COLUMNS}`,
    [
      newPublicId(),
      merchant.creditCode,
      merchant.registeredName,
      merchant.shopName,
      merchant.district,
      merchant.category,
      merchant.address,
      merchant.latitude,
      merchant.longitude,
      merchant.contactPhone,
      merchant.bankAccountName,
      merchant.bankName,
      merchant.bankAccountCipher,
      merchant.bankAccountMasked,
    ],
  );
  return rows.length > 0 ? { ...rows[0], id: String(rows[0].id) } : null;
}

/** The caller's own merchant: there is no way to name another. */
export async function findOwnMerchant(manager: EntityManager, caller: MerchantCaller): Promise<MerchantRecord | null> {
  const rows: MerchantRecord[] = await manager.query(`SELECT ${MERCHANT_COLUMNS} FROM merchants WHERE id = $1`, [caller.merchantRowId]);
  return rows[0] ?? null;
}

/** The columns a merchant admin may change on their own merchant, by field name. */
export const EDITABLE_COLUMNS = {
  address: 'address',
  latitude: 'latitude',
  longitude: 'longitude',
  contactPhone: 'contact_phone',
  bankAccountName: 'bank_account_name',
  bankName: 'bank_name',
  bankAccountCipher: 'bank_account_cipher',
  bankAccountMasked: 'bank_account_masked',
} as const;

export type MerchantChanges = Partial<Record<keyof typeof EDITABLE_COLUMNS, string | number | null>>;

/** Updates the caller's own merchant; column names come only from EDITABLE_COLUMNS, values are parameters. */
export async function updateOwnMerchant(manager: EntityManager, caller: MerchantCaller, changes: MerchantChanges): Promise<MerchantRecord> {
  const fields = Object.keys(changes) as Array<keyof typeof EDITABLE_COLUMNS>;
  const assignments = fields.map((field, index) => `${EDITABLE_COLUMNS[field]} = $${index + 2}`);
  const [rows]: [MerchantRecord[], number] = await manager.query(
    `UPDATE merchants SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${MERCHANT_COLUMNS}`,
    [caller.merchantRowId, ...fields.map((field) => changes[field])],
  );
  return rows[0];
}
