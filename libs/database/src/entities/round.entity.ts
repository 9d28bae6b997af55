import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from './campaign.entity';
import { timestampColumn } from './columns';
import { VoucherType } from './voucher-type.entity';

export const ROUND_KINDS = ['grab', 'lottery'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];

/** A release of one voucher type's stock at a fixed time (a weekly 10:00 round, say). */
@Entity('rounds')
@Check('rounds_quantity_check', '"quantity" >= 0')
@Check('rounds_issued_check', '"issued" >= 0 AND "issued" <= "quantity"')
@Check('rounds_stock_buckets_check', '"stock_buckets" BETWEEN 1 AND 64')
@Check(
  'rounds_signup_window_check',
  `("kind" = 'grab' AND "signup_opens_at" IS NULL AND "signup_closes_at" IS NULL) OR ("kind" = 'lottery' AND "signup_opens_at" < "signup_closes_at")`,
)
export class Round {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'bigint' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column({ type: 'bigint' })
  voucherTypeId: string;

  @ManyToOne(() => VoucherType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'voucher_type_id' })
  voucherType?: VoucherType;

  @Column(timestampColumn())
  opensAt: Date;

  @Column(timestampColumn({ nullable: true }))
  closesAt: Date | null;

  @Column({ type: 'integer' })
  quantity: number;

  /** grab: first come, first served (the admission state); lottery: a sign-up window, then a draw (apps/issuance/src/lottery). */
  @Column({ type: 'varchar', length: 16, default: 'grab' })
  kind: RoundKind;

  /** A lottery's sign-up window; null for a grab. */
  @Column(timestampColumn({ nullable: true }))
  signupOpensAt: Date | null;

  @Column(timestampColumn({ nullable: true }))
  signupClosesAt: Date | null;

  /**
   * Vouchers of this round in Postgres, raised by a statement trigger on every insert into vouchers; its check
   * is the backstop that refuses a batch a stale Redis admitted beyond the quantity.
   */
  @Column({ type: 'integer', default: 0 })
  issued: number;

  /**
   * The parts its stock is split into in the admission state, each on a Redis slot of its own
   * (hot-stock buckets, apps/issuance/src/claims/ADMISSION.md); the same for every round of a
   * campaign, whose person records are split the same way. 1: one stock key, as before.
   */
  @Column({ type: 'smallint', default: 1 })
  stockBuckets: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
