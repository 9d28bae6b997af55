import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Round } from './round.entity';

export const LOTTERY_OUTCOMES = ['won', 'skipped'] as const;
export type LotteryOutcomeKind = (typeof LOTTERY_OUTCOMES)[number];

/**
 * A drawn entrant of a lottery round, by rank (1 = first drawn): a winner and the voucher it
 * was given, or a skipped entrant and why it could not receive one. Entrants never reached by
 * the draw have no row: they were not drawn.
 */
@Entity('lottery_outcomes')
@Check('lottery_outcomes_kind_check', `("outcome" = 'won' AND "voucher_id" IS NOT NULL AND "skip_reason" IS NULL) OR ("outcome" = 'skipped' AND "voucher_id" IS NULL AND "skip_reason" IS NOT NULL)`)
export class LotteryOutcome {
  @PrimaryColumn({ type: 'bigint' })
  roundId: string;

  @ManyToOne(() => Round, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id' })
  round?: Round;

  @PrimaryColumn({ type: 'integer' })
  rank: number;

  @Column({ type: 'char', length: 64 })
  entryHash: string;

  @Column({ type: 'bigint' })
  residentId: string;

  @Column({ type: 'varchar', length: 8 })
  outcome: LotteryOutcomeKind;

  @Column({ type: 'varchar', length: 32, nullable: true })
  skipReason: string | null;

  /** The winner's voucher (vouchers.id). */
  @Column({ type: 'bigint', nullable: true })
  voucherId: string | null;
}
