import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/**
 * The unique keys of a voucher that do not hold its campaign, beside the vouchers table
 * partitioned by campaign (whose unique keys must hold it). Written only by vouchers' triggers,
 * in the statement that writes the voucher: a second voucher with the same public id, or the
 * same resident and Idempotency-Key in any campaign, fails that statement with 23505, as a
 * unique key on vouchers did. Redemptions refer to it (a foreign key to vouchers would need the
 * campaign too).
 */
@Entity('voucher_keys')
@Unique('voucher_keys_public_id_key', ['publicId'])
// A grab's retry finds its voucher by this key, in any campaign (null: no key, never a conflict).
@Unique('vouchers_resident_idempotency_key', ['residentId', 'idempotencyKey'])
export class VoucherKey {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'voucher_keys_pkey' })
  voucherId: string;

  @Column({ type: 'bigint' })
  campaignId: string;

  @Column({ type: 'uuid' })
  publicId: string;

  @Column({ type: 'bigint' })
  residentId: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  idempotencyKey: string | null;
}
