import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn, timestampColumn } from './columns';
import { Merchant } from './merchant.entity';
import { Voucher } from './voucher.entity';
import { VoucherKey } from './voucher-key.entity';

/**
 * A voucher applied at a merchant's till. A retry with the same order number finds this row.
 * Partitioned by month of businessDate (docs/partitions.md), so its key holds the date; its
 * unique keys (public id, order number, the standing redemption of a voucher) are kept in
 * redemption_keys, written by this table's triggers (RedemptionKey).
 */
@Entity('redemptions')
@Index('redemptions_business_date_idx', ['businessDate'])
// What a settlement build reads: a day's unsettled redemptions, merchant by merchant.
@Index('redemptions_unsettled_idx', ['businessDate', 'merchantId'], { where: '"settlement_line_id" IS NULL' })
// A refund reads its redemption by public id within the month its key names (RedemptionKey holds the date); the merchant's listing orders by it.
@Index('redemptions_public_id_idx', ['publicId'])
export class Redemption {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'redemptions_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  publicId: string;

  @Column({ type: 'bigint' })
  voucherId: string;

  /** The voucher, to join (vouchers is partitioned by campaign: no foreign key to it; the key is voucherKey's). */
  @ManyToOne(() => Voucher, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'voucher_id', referencedColumnName: 'id' })
  voucher?: Voucher;

  /** The voucher's keys: the foreign key refers to voucher_keys (docs/partitions.md). */
  @ManyToOne(() => VoucherKey, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'voucher_id', referencedColumnName: 'voucherId' })
  voucherKey?: VoucherKey;

  @Column({ type: 'bigint' })
  merchantId: string;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id' })
  merchant?: Merchant;

  @Column({ type: 'varchar', length: 64 })
  merchantOrderNo: string;

  /** The merchant's district and category at the redemption: its district budget paid the district share (the ledger), and the figures count it there. */
  @Column({ type: 'varchar', length: 16 })
  merchantDistrict: string;

  @Column({ type: 'varchar', length: 32 })
  merchantCategory: string;

  @Column(fenColumn())
  orderAmountFen: number;

  /** The subsidy: what the voucher took off the order. */
  @Column(fenColumn())
  discountFen: number;

  @Column(fenColumn())
  cityFen: number;

  @Column(fenColumn())
  districtFen: number;

  /**
   * completed; partly_refunded (some goods returned, the discount stands); reversed (the
   * discount was taken back by a partial refund that left the order below the threshold);
   * refunded (every fen of goods returned, the discount taken back).
   */
  @Column({ type: 'varchar', length: 16, default: 'completed' })
  status: string;

  /** Public id of the cashier (merchant staff) who scanned the code. */
  @Column({ type: 'uuid' })
  cashierId: string;

  /** The scanned code's MAC in hex: a retry carries the same code, a different code is a conflict. */
  @Column({ type: 'char', length: 32 })
  codeDigest: string;

  /** Goods value returned so far, in fen of the order amount. */
  @Column(fenColumn({ default: 0 }))
  refundedAmountFen: number;

  /** The settlement line that paid this redemption's subsidy; null until it is settled. */
  @Index('redemptions_settlement_line_idx')
  @Column({ type: 'bigint', nullable: true })
  settlementLineId: string | null;

  @Column(timestampColumn())
  redeemedAt: Date;

  /** The Asia/Shanghai calendar date of the redemption: the settlement day it belongs to, and the partition key. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'redemptions_pkey' })
  businessDate: string;
}
