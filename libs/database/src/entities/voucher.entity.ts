import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Campaign } from './campaign.entity';
import { fenColumn, timestampColumn } from './columns';
import { Resident } from './resident.entity';
import { Round } from './round.entity';

/**
 * A claimed voucher. The unique keys back the per-person rules in the database itself:
 * one voucher per person per round, and `personSeq` (1..the campaign's limit, handed out
 * by the admission script) unique per person and campaign. Its campaign, round and resident
 * are kept without foreign keys, which cost a third of the grab's insert: the database refuses
 * to delete or renumber those rows instead (migration VoucherParentsKept).
 *
 * Partitioned by campaign (docs/partitions.md), so every unique key holds campaignId: a round
 * belongs to one campaign, so the per-person keys mean what they did. The keys that do not hold
 * it (public id; resident and Idempotency-Key) are VoucherKey's, written by this table's triggers.
 * Within a partition campaignId is one value, so the keys lead with the other columns.
 */
@Entity('vouchers')
@Unique('vouchers_round_resident_key', ['roundId', 'residentId', 'campaignId'])
@Unique('vouchers_campaign_resident_seq_key', ['residentId', 'campaignId', 'personSeq'])
// The till and the owner find a voucher by public id: one probe a campaign. (Its uniqueness: VoucherKey.)
@Index('vouchers_public_id_idx', ['publicId'])
// The vouchers an expiry run may still expire (migration ExpiryDueIndex): claimed, or expired by a refund and not yet counted.
@Index('vouchers_expiry_due_idx', ['campaignId', 'expiresAt'], { where: `"expiry_run_id" IS NULL AND "status" IN ('claimed', 'expired')` })
export class Voucher {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'vouchers_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  publicId: string;

  /** The partition key. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'vouchers_pkey' })
  campaignId: string;

  @ManyToOne(() => Campaign, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column({ type: 'bigint' })
  roundId: string;

  @ManyToOne(() => Round, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'round_id' })
  round?: Round;

  @Column({ type: 'bigint' })
  residentId: string;

  @ManyToOne(() => Resident, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident;

  @Column({ type: 'smallint' })
  personSeq: number;

  @Column(fenColumn())
  faceValueFen: number;

  @Column(fenColumn())
  thresholdFen: number;

  /** claimed | redeemed | expired */
  @Column({ type: 'varchar', length: 16, default: 'claimed' })
  status: string;

  @Column(timestampColumn())
  claimedAt: Date;

  @Column(timestampColumn())
  expiresAt: Date;

  @Column(timestampColumn({ nullable: true }))
  redeemedAt: Date | null;

  /**
   * The expiry run that recorded this voucher as expired (expiry_runs; no foreign key, as for its
   * other parents). Null while it is not expired, and on one a full refund marked expired since
   * the last run: the next run records it, so each expired voucher is counted by exactly one run.
   */
  @Column({ type: 'bigint', nullable: true })
  expiryRunId: string | null;

  /** The client's Idempotency-Key of the grab, when it sent one: a retry finds this voucher. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  idempotencyKey: string | null;
}
