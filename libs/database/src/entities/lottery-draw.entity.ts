import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { timestampColumn } from './columns';
import { Round } from './round.entity';

/**
 * What a lottery round publishes, step by step: the commitment (SHA-256 of the secret seed)
 * and the salt of entrant hashes from its creation; the frozen entrant list's count and digest
 * once sign-up closed; the public value two officials agreed on (four eyes, held by the table
 * as well as the code); the seed revealed at the draw; drawnAt when the winners' vouchers are in
 * Postgres, publishedAt once they are in Redis too and anyone may be told. The seed itself waits
 * in lottery_seeds until the draw.
 */
@Entity('lottery_draws')
@Check('lottery_draws_four_eyes', '"confirmed_by" IS NULL OR ("proposed_by" IS NOT NULL AND "confirmed_by" <> "proposed_by")')
export class LotteryDraw {
  @PrimaryColumn({ type: 'bigint' })
  roundId: string;

  @OneToOne(() => Round, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id' })
  round?: Round;

  /** Hex of 32 random bytes; an entrant's hash is SHA-256(salt ‖ resident id). */
  @Column({ type: 'char', length: 64 })
  salt: string;

  /** Hex SHA-256 of the seed's 32 bytes. */
  @Column({ type: 'char', length: 64 })
  commitment: string;

  /**
   * Where the public value will be read, named at creation with the commitment (publisher,
   * figure, date): announced before sign-up, so the officials cannot pick among sources once the
   * list is known. Never changed (a trigger refuses it, lottery_draws_source_fixed).
   */
  @Column({ type: 'varchar', length: 200 })
  publicValueSource: string;

  @Column(timestampColumn({ nullable: true }))
  frozenAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  entrantsCount: number | null;

  @Column({ type: 'char', length: 64, nullable: true })
  entrantsDigest: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  proposedValue: string | null;

  /** Public id of the official who proposed the public value. */
  @Column({ type: 'uuid', nullable: true })
  proposedBy: string | null;

  @Column(timestampColumn({ nullable: true }))
  proposedAt: Date | null;

  /** Set when a second official confirmed the proposed value. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  publicValue: string | null;

  @Column({ type: 'uuid', nullable: true })
  confirmedBy: string | null;

  @Column(timestampColumn({ nullable: true }))
  confirmedAt: Date | null;

  /** The seed, hex, copied here at the draw: from then on it is public. */
  @Column({ type: 'char', length: 64, nullable: true })
  revealedSeed: string | null;

  @Column(timestampColumn({ nullable: true }))
  drawnAt: Date | null;

  @Column(timestampColumn({ nullable: true }))
  publishedAt: Date | null;

  /** When the settlement worker decided the SMS to its winners (lottery_won notices): once a draw, after its publication. */
  @Column(timestampColumn({ nullable: true }))
  noticesDecidedAt: Date | null;
}
