import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn, timestampColumn } from './columns';
import { Refund } from './refund.entity';

/**
 * A subsidy already paid to a merchant that a later refund took back: netted against the
 * merchant's next settlement batch, never by touching the batch that paid it.
 */
@Entity('clawbacks')
@Index('clawbacks_open_idx', ['merchantId'], { where: '"settlement_line_id" IS NULL' })
export class Clawback {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'bigint', unique: true })
  refundId: string;

  @ManyToOne(() => Refund, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'refund_id' })
  refund?: Refund;

  @Column({ type: 'bigint' })
  merchantId: string;

  @Column(fenColumn())
  amountFen: number;

  @Column(fenColumn())
  cityFen: number;

  @Column(fenColumn())
  districtFen: number;

  /** The settlement line that netted it; null while it waits for the next batch. */
  @Column({ type: 'bigint', nullable: true })
  settlementLineId: string | null;

  @Column(timestampColumn({ default: () => 'now()' }))
  createdAt: Date;
}
