import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumn } from './columns';

/** A resident who signs in by phone; may grab only once real-name verified. */
@Entity('residents')
export class Resident {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  /**
   * Normalised mainland mobile number, 11 digits. NULL for a retired account: an empty one whose
   * number another resident's account moved to (a number change); residents are never deleted.
   */
  @Column({ type: 'varchar', length: 20, unique: true, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  realName: string | null;

  /** Keyed hash (HMAC-SHA256, hex) of the resident ID number: one account per person. */
  @Column({ type: 'char', length: 64, nullable: true, unique: true })
  idNumberHash: string | null;

  /** e.g. 330203********123X; the number itself is never stored. */
  @Column({ type: 'varchar', length: 18, nullable: true })
  idNumberMasked: string | null;

  @Column(timestampColumn({ nullable: true }))
  verifiedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
