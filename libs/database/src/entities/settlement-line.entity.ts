import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenColumn, timestampColumn } from './columns';
import { Merchant } from './merchant.entity';
import { SettlementBatch } from './settlement-batch.entity';

/**
 * What one merchant is owed in one batch, split by funding source: the subsidy of its
 * redemptions of the day that still stand (gross), plus lines of earlier batches that failed
 * or were held (carried), less clawbacks of refunds after settlement. Bank details are a
 * snapshot taken at build time, so the payout file pays what was approved.
 */
@Entity('settlement_lines')
@Unique('settlement_lines_batch_merchant_key', ['batchId', 'merchantId'])
@Index('settlement_lines_open_idx', ['merchantId'], { where: `"status" IN ('failed', 'held') AND "carried_into_line_id" IS NULL` })
export class SettlementLine {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'bigint' })
  batchId: string;

  @ManyToOne(() => SettlementBatch, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'batch_id' })
  batch?: SettlementBatch;

  @Column({ type: 'bigint' })
  merchantId: string;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id' })
  merchant?: Merchant;

  @Column({ type: 'integer' })
  redemptionCount: number;

  @Column(fenColumn())
  amountFen: number;

  @Column(fenColumn({ default: 0 }))
  grossFen: number;

  @Column(fenColumn({ default: 0 }))
  carriedFen: number;

  @Column(fenColumn({ default: 0 }))
  clawbackFen: number;

  @Column(fenColumn())
  cityFen: number;

  @Column(fenColumn())
  districtFen: number;

  /** pending (to pay) | held (merchant not approved at build time: carried) | paid | failed (carried) */
  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  failureReason: string | null;

  @Column(timestampColumn({ nullable: true }))
  paidAt: Date | null;

  /** The later line that took over this failed or held amount. */
  @Column({ type: 'bigint', nullable: true })
  carriedIntoLineId: string | null;

  @Column({ type: 'char', length: 18, nullable: true })
  creditCode: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  bankAccountName: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  bankName: string | null;

  @Column({ type: 'text', nullable: true })
  bankAccountCipher: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  bankAccountMasked: string | null;
}
