import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenColumn, timestampColumn } from './columns';
import { Merchant } from './merchant.entity';
import { Voucher } from './voucher.entity';

/** A voucher applied at a merchant's till. A retry with the same order number finds this row. */
@Entity('redemptions')
@Unique('redemptions_merchant_order_key', ['merchantId', 'merchantOrderNo'])
@Index('redemptions_business_date_idx', ['businessDate'])
export class Redemption {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'bigint' })
  voucherId: string;

  @ManyToOne(() => Voucher, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'voucher_id' })
  voucher?: Voucher;

  @Column({ type: 'bigint' })
  merchantId: string;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id' })
  merchant?: Merchant;

  @Column({ type: 'varchar', length: 64 })
  merchantOrderNo: string;

  @Column(fenColumn())
  orderAmountFen: number;

  /** The subsidy: what the voucher took off the order. */
  @Column(fenColumn())
  discountFen: number;

  @Column(fenColumn())
  cityFen: number;

  @Column(fenColumn())
  districtFen: number;

  /** completed | refunded */
  @Column({ type: 'varchar', length: 16, default: 'completed' })
  status: string;

  @Column(timestampColumn())
  redeemedAt: Date;

  /** The Asia/Shanghai calendar date of the redemption: the settlement day it belongs to. */
  @Column({ type: 'date' })
  businessDate: string;
}
