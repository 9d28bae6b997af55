import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Resident } from './resident.entity';
import { Round } from './round.entity';

/** One resident's sign-up for a lottery round; the unique key makes signing up twice one entry. */
@Entity('lottery_entries')
@Unique('lottery_entries_round_resident_key', ['roundId', 'residentId'])
// Whether a resident holds any entry (a number change asks it of the account on the new number).
@Index('lottery_entries_resident_idx', ['residentId'])
export class LotteryEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  roundId: string;

  @ManyToOne(() => Round, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id' })
  round?: Round;

  @Column({ type: 'bigint' })
  residentId: string;

  @ManyToOne(() => Resident, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident;

  /** Hex SHA-256(salt ‖ resident public id): what the published list shows of this entry. */
  @Column({ type: 'char', length: 64 })
  entryHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
