import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenColumn } from './columns';
import { Merchant } from './merchant.entity';
import { SettlementBatch } from './settlement-batch.entity';

/** What one merchant is owed in one batch, split by funding source. */
@Entity('settlement_lines')
@Unique('settlement_lines_batch_merchant_key', ['batchId', 'merchantId'])
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

  @Column(fenColumn())
  cityFen: number;

  @Column(fenColumn())
  districtFen: number;

  /** pending | paid | failed */
  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: string;
}
