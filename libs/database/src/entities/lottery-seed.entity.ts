import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Round } from './round.entity';

/**
 * A lottery round's secret seed, apart from everything published: only the draw reads this
 * table (draw-lottery.sql.ts), and the draw copies the seed to lottery_draws.revealed_seed.
 */
@Entity('lottery_seeds')
export class LotterySeed {
  @PrimaryColumn({ type: 'bigint' })
  roundId: string;

  @OneToOne(() => Round, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id' })
  round?: Round;

  /** Hex of 32 random bytes. */
  @Column({ type: 'char', length: 64 })
  seed: string;
}
