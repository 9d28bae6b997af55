import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumn } from './columns';

/**
 * A service message the platform decided to send a resident (apps/settlement/src/reminders): the
 * daily reminder that vouchers are about to expire (voucher_expiry), and the news of a lottery
 * round won (lottery_won, naming its round). The row is written before the message is sent, and
 * its unique keys are what make "at most one": a daily notice is one per resident, kind and expiry
 * date named, and one per resident, kind and day it was decided (a rerun the same day, after the
 * earliest voucher was used, names a later date but sends nothing more); a round's is one per
 * resident and round. Without a foreign key to residents, like the vouchers it counts: a resident
 * row is never deleted.
 */
@Entity('resident_notices')
@Index('resident_notices_expiry_date_key', ['residentId', 'kind', 'expiryDate'], { unique: true, where: `"round_id" IS NULL` })
@Index('resident_notices_notice_date_key', ['residentId', 'kind', 'noticeDate'], { unique: true, where: `"round_id" IS NULL` })
@Index('resident_notices_round_key', ['roundId', 'residentId'], { unique: true, where: `"round_id" IS NOT NULL` })
@Check('resident_notices_round_check', `("kind" = 'lottery_won') = ("round_id" IS NOT NULL)`)
// The senders walk the notices still to send in id order (keyset), through this index only.
@Index('resident_notices_pending_idx', ['kind', 'id'], { where: `"state" = 'pending'` })
// A run ends the sends a dead sender left taken (END_ABANDONED) through this one.
@Index('resident_notices_sending_idx', ['kind', 'takenAt'], { where: `"state" = 'sending'` })
export class ResidentNotice {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  residentId: string;

  /** voucher_expiry | lottery_won */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  /** The lottery round a lottery_won notice is about (rounds.id); null for the daily notices. */
  @Column({ type: 'bigint', nullable: true })
  roundId: string | null;

  /** The Asia/Shanghai date the message names: the earliest expiry among the vouchers it counts. */
  @Column({ type: 'date' })
  expiryDate: string;

  /** The Asia/Shanghai date the notice was decided. */
  @Column({ type: 'date' })
  noticeDate: string;

  /** How many of the resident's vouchers it counts (usable, expiring within the lead time; won in the round). */
  @Column({ type: 'integer' })
  voucherCount: number;

  /** The earliest of their expiries: a notice still pending past it is not sent any more (stale). */
  @Column(timestampColumn())
  earliestExpiresAt: Date;

  /**
   * pending (to send) → sending (taken by a sender, committed before the send) → sent | failed
   * (the gateway refused it) | unknown (the gateway did not say) ; pending → stale. A notice left
   * in sending is one whose sender died during the send: never sent again.
   */
  @Column({ type: 'varchar', length: 16, default: 'pending' })
  state: string;

  @Column(timestampColumn({ default: () => 'now()' }))
  createdAt: Date;

  /** When its sender took it (state sending and after). */
  @Column(timestampColumn({ nullable: true }))
  takenAt: Date | null;

  /** When the send ended (sent, failed or unknown). */
  @Column(timestampColumn({ nullable: true }))
  doneAt: Date | null;
}
