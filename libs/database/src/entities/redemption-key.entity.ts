import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * The unique keys of a redemption, beside the partitioned redemptions table (whose unique
 * keys would have to hold the partition key). Written only by redemptions' triggers, in the
 * statement that writes the redemption: a second redemption with the same public id, order
 * number or standing voucher fails that statement with 23505, as a unique key on redemptions
 * did. Kept when a month of redemptions is archived, so an order number stays used. It
 * holds the business date too, so a read by one of these keys enters one month's partition.
 */
@Entity('redemption_keys')
@Unique('redemption_keys_public_id_key', ['publicId'])
@Unique('redemptions_merchant_order_key', ['merchantId', 'merchantOrderNo'])
// Invariant 4's backstop: a voucher has at most one redemption whose discount still stands.
@Index('redemptions_standing_voucher_key', ['voucherId'], { unique: true, where: '"standing"' })
export class RedemptionKey {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'redemption_keys_pkey' })
  redemptionId: string;

  @Column({ type: 'uuid' })
  publicId: string;

  @Column({ type: 'bigint' })
  merchantId: string;

  @Column({ type: 'varchar', length: 64 })
  merchantOrderNo: string;

  @Column({ type: 'bigint' })
  voucherId: string;

  /**
   * The redemption's business day, its month partition's key: a read by order number or public
   * id finds the row in one partition. Null only for a key of a month archived before the column
   * was added (RedemptionKeysBusinessDate1796800000000).
   */
  @Column({ type: 'date', nullable: true })
  businessDate: string | null;

  /** The redemption's status is completed or partly_refunded: its discount stands. */
  @Column({ type: 'boolean' })
  standing: boolean;
}
