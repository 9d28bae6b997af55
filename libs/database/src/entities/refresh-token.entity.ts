import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumn } from './columns';
import { Resident } from './resident.entity';

/**
 * A resident's sign-in session. The token itself is never stored, only its SHA-256, so a
 * leaked table signs no one in. Rotation revokes a row and inserts the next; a revoked row
 * that comes back is the theft signal that revokes every session of the resident.
 */
@Entity('refresh_tokens')
@Index('refresh_tokens_resident_idx', ['residentId'])
export class RefreshToken {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'bigint' })
  residentId: string;

  // Sessions mean nothing without their resident; they must not block erasing one.
  @ManyToOne(() => Resident, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident;

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
