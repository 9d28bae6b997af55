import { newPublicId } from '@vouchers/common';
import { EntityManager } from 'typeorm';

/** A resident as the sign-in and profile use cases need it. Never sent out as it is. */
export interface ResidentRecord {
  /** Internal id: foreign keys only, never leaves the server. */
  id: string;
  publicId: string;
  phone: string;
  realName: string | null;
  idNumberHash: string | null;
  idNumberMasked: string | null;
  verifiedAt: Date | null;
}

export interface ResidentRow {
  id: string;
  public_id: string;
  phone: string;
  real_name: string | null;
  id_number_hash: string | null;
  id_number_masked: string | null;
  verified_at: Date | null;
}

export const RESIDENT_COLUMNS = 'id, public_id, phone, real_name, id_number_hash, id_number_masked, verified_at';

export function toResidentRecord(row: ResidentRow): ResidentRecord {
  return {
    id: String(row.id),
    publicId: row.public_id,
    phone: row.phone,
    realName: row.real_name,
    idNumberHash: row.id_number_hash,
    idNumberMasked: row.id_number_masked,
    verifiedAt: row.verified_at,
  };
}

/**
 * The resident with this number, created on first sign-in. Two first sign-ins racing both
 * end with the one row: the loser's insert does nothing and it reads the winner's.
 */
export async function findOrCreateResidentByPhone(manager: EntityManager, phone: string): Promise<ResidentRecord> {
  const inserted: ResidentRow[] = await manager.query(
    `INSERT INTO residents (public_id, phone) VALUES ($1, $2) ON CONFLICT (phone) DO NOTHING RETURNING ${RESIDENT_COLUMNS}`,
    [newPublicId(), phone],
  );
  if (inserted.length > 0) return toResidentRecord(inserted[0]);
  const [existing]: ResidentRow[] = await manager.query(`SELECT ${RESIDENT_COLUMNS} FROM residents WHERE phone = $1`, [phone]);
  return toResidentRecord(existing);
}

/**
 * The caller's own row: the public id comes from the verified token's subject, never from
 * the request. `forUpdate` holds the row until the transaction ends.
 */
export async function findResidentByPublicId(
  manager: EntityManager,
  publicId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ResidentRecord | null> {
  const rows: ResidentRow[] = await manager.query(
    `SELECT ${RESIDENT_COLUMNS} FROM residents WHERE public_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [publicId],
  );
  return rows.length > 0 ? toResidentRecord(rows[0]) : null;
}

export async function findResidentById(manager: EntityManager, id: string): Promise<ResidentRecord | null> {
  const rows: ResidentRow[] = await manager.query(`SELECT ${RESIDENT_COLUMNS} FROM residents WHERE id = $1`, [id]);
  return rows.length > 0 ? toResidentRecord(rows[0]) : null;
}
