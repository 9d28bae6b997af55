import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { fenColumn, timestampColumn } from './columns';
import { RedemptionKey } from './redemption-key.entity';

/**
 * Goods returned on a redeemed order. A retry with the same merchant refund number finds
 * this row. When it takes the discount back, cityFen + districtFen = discountReversedFen is
 * reversed in the ledger, or becomes a clawback if the redemption was already settled.
 */
@Entity('refunds')
@Unique('refunds_merchant_refund_key', ['merchantId', 'merchantRefundNo'])
@Index('refunds_merchant_date_idx', ['merchantId', 'businessDate'])
@Check('refunds_amounts_check', '"refund_amount_fen" > 0 AND "discount_reversed_fen" = "city_fen" + "district_fen"')
export class Refund {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'bigint' })
  redemptionId: string;

  /** The redemption's keys: redemptions is partitioned, so the foreign key refers to redemption_keys (docs/partitions.md). */
  @ManyToOne(() => RedemptionKey, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'redemption_id', referencedColumnName: 'redemptionId' })
  redemptionKey?: RedemptionKey;

  @Column({ type: 'bigint' })
  merchantId: string;

  /** Its redemption's merchant district and category (Redemption.merchantDistrict): the budget it gives back to, where the figures count it. */
  @Column({ type: 'varchar', length: 16 })
  merchantDistrict: string;

  @Column({ type: 'varchar', length: 32 })
  merchantCategory: string;

  @Column({ type: 'varchar', length: 64 })
  merchantRefundNo: string;

  /** Goods value returned, in fen of the order amount. */
  @Column(fenColumn())
  refundAmountFen: number;

  /** What goes back to the customer: the goods value less any discount taken back. */
  @Column(fenColumn())
  customerRefundFen: number;

  @Column(fenColumn({ default: 0 }))
  discountReversedFen: number;

  @Column(fenColumn({ default: 0 }))
  cityFen: number;

  @Column(fenColumn({ default: 0 }))
  districtFen: number;

  /** Public id of the cashier or merchant admin who refunded. */
  @Column({ type: 'uuid' })
  refundedBy: string;

  @Column(timestampColumn())
  refundedAt: Date;

  /** The Asia/Shanghai calendar date of the refund. */
  @Column({ type: 'date' })
  businessDate: string;
}
