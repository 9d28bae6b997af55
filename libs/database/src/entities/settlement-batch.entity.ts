import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn, timestampColumn } from './columns';

/**
 * One settlement batch per business day: building → pending_approval → submitted (复核) →
 * approved (审批) → paying → paid / partly_failed. Four eyes are a rule of the table: the
 * approver is neither who submitted it nor anyone who re-opened or adjusted it.
 */
@Check(
  'settlement_batches_four_eyes',
  '"approved_by" IS NULL OR ("submitted_by" IS NOT NULL AND "approved_by" <> "submitted_by" AND "approved_by" IS DISTINCT FROM "adjusted_by" AND NOT ("approved_by" = ANY ("adjusters")))',
)
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

  /** Every finance official who re-opened it or held a line of it (adjustedBy among them); none may approve it. */
  @Column({ type: 'uuid', array: true, default: '{}' })
  adjusters: string[];

  @Column(fenColumn({ default: 0 }))
  paidFen: number;

  @Column(fenColumn({ default: 0 }))
  failedFen: number;

  /** The finance official who checked the built batch and submitted it for approval (复核). */
  @Column({ type: 'uuid', nullable: true })
  submittedBy: string | null;

  @Column(timestampColumn({ nullable: true }))
  submittedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column(timestampColumn({ nullable: true }))
  approvedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
