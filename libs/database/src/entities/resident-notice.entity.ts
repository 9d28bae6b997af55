import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { timestampColumn } from './columns';

/**
 * A service message the platform decided to send a resident (today one kind: the reminder that
 * vouchers are about to expire, apps/settlement/src/reminders). The row is written before the
 * message is sent, and its unique keys are what make "at most one": one notice per resident, kind
 * and expiry date named, and one per resident, kind and day it was decided (a rerun the same day,
 * after the earliest voucher was used, names a later date but sends nothing more). Without a
 * foreign key to residents, like the vouchers it counts: a resident row is never deleted.
 */
@Entity('resident_notices')
@Unique('resident_notices_expiry_date_key', ['residentId', 'kind', 'expiryDate'])
@Unique('resident_notices_notice_date_key', ['residentId', 'kind', 'noticeDate'])
// The senders walk the notices still to send in id order (keyset), through this index only.
@Index('resident_notices_pending_idx', ['kind', 'id'], { where: `"state" = 'pending'` })
// A run ends the sends a dead sender left taken (END_ABANDONED) through this one.
@Index('resident_notices_sending_idx', ['kind', 'takenAt'], { where: `"state" = 'sending'` })
export class ResidentNotice {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  residentId: string;

  /** voucher_expiry */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  /** The Asia/Shanghai date the message names: the earliest expiry among the vouchers it counts. */
  @Column({ type: 'date' })
  expiryDate: string;

  /** The Asia/Shanghai date the notice was decided. */
  @Column({ type: 'date' })
  noticeDate: string;

  /** How many of the resident's vouchers it counts (usable, expiring within the lead time). */
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
