import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumn } from './columns';

/** The kinds of account that hold sign-in sessions; the table's check constraint lists the same. */
export const ACCOUNT_KINDS = ['resident', 'staff', 'official'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/**
 * One refresh token of a sign-in session, of any kind of account (a resident, a merchant_staff
 * row, an official). The token itself is never stored, only its SHA-256, so a leaked table
 * signs no one in. Rotation revokes a row and inserts the next with the same session_id (the
 * session's family); a revoked row that comes back is the theft signal that revokes every
 * live session of the account. No foreign key: the account's table depends on its kind, and a
 * session of a removed account is refused at refresh when the account is not found.
 */
@Entity('refresh_tokens')
@Check('refresh_tokens_account_kind_check', `"account_kind" IN (${ACCOUNT_KINDS.map((kind) => `'${kind}'`).join(', ')})`)
// "Revoke every live session of this account" (reuse, a disabled cashier).
@Index('refresh_tokens_live_account_idx', ['accountKind', 'accountId'], { where: '"revoked_at" IS NULL' })
@Index('refresh_tokens_session_idx', ['sessionId'])
export class RefreshToken {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'varchar', length: 16 })
  accountKind: AccountKind;

  /** Internal id of the account in its kind's table. */
  @Column({ type: 'bigint' })
  accountId: string;

  /** The session (family) every rotation of one sign-in shares. */
  @Column({ type: 'uuid' })
  sessionId: string;

  /** SHA-256 of the opaque token, hex. */
  @Column({ type: 'char', length: 64, unique: true })
  tokenHash: string;

  @Column(timestampColumn())
  expiresAt: Date;

  @Column(timestampColumn({ nullable: true }))
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
