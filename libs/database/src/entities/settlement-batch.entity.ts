import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn, timestampColumn } from './columns';

/** One settlement batch per business day: building → pending_approval → approved → paying → paid / partly_failed. */
@Entity('settlement_batches')
export class SettlementBatch {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'date', unique: true })
  businessDate: string;

  @Column({ type: 'varchar', length: 24, default: 'building' })
  status: string;

  @Column({ type: 'integer', default: 0 })
  lineCount: number;

  @Column(fenColumn({ default: 0 }))
  totalFen: number;

  /** Redemptions of the day tied to the batch's lines. */
  @Column({ type: 'integer', default: 0 })
  redemptionCount: number;

  /** The build runs in chunks of merchants; progress is chunksDone of chunkCount. */
  @Column({ type: 'integer', default: 0 })
  chunkCount: number;

  @Column({ type: 'integer', default: 0 })
  chunksDone: number;

  @Column(timestampColumn({ nullable: true }))
  builtAt: Date | null;

  /** The finance official who last re-opened or adjusted it; four eyes: they may not approve it. */
  @Column({ type: 'uuid', nullable: true })
  adjustedBy: string | null;

  @Column(fenColumn({ default: 0 }))
  paidFen: number;

  @Column(fenColumn({ default: 0 }))
  failedFen: number;

  @Column({ type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column(timestampColumn({ nullable: true }))
  approvedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
