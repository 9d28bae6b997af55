import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumn } from './columns';

/** A resident who signs in by phone; may grab only once real-name verified. */
@Entity('residents')
// A closed account keeps no number, name or ID mask (migration ResidentClosing).
@Check('residents_closed_erased', `"closed_at" IS NULL OR ("phone" IS NULL AND "real_name" IS NULL AND "id_number_masked" IS NULL)`)
export class Resident {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  /**
   * Normalised mainland mobile number, 11 digits. NULL for a retired account (an empty one whose
   * number another resident's account moved to: a number change) and for a closed one (closedAt);
   * residents are never deleted.
   */
  @Column({ type: 'varchar', length: 20, unique: true, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  realName: string | null;

  /**
   * Keyed hash (HMAC-SHA256, hex) of the resident ID number: one account per person. Kept when the
   * account closes, so the per-person limits still count what the person took, and the person's
   * next real-name verification opens this account again rather than a second one.
   */
  @Column({ type: 'char', length: 64, nullable: true, unique: true })
  idNumberHash: string | null;

  /** e.g. 330203********123X; the number itself is never stored. */
  @Column({ type: 'varchar', length: 18, nullable: true })
  idNumberMasked: string | null;

  @Column(timestampColumn({ nullable: true }))
  verifiedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** When the resident closed the account (apps/issuance/src/residents/closing); NULL while open or reopened. */
  @Column(timestampColumn({ nullable: true }))
  closedAt: Date | null;
}
