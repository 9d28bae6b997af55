import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { fenColumn } from './columns';

/**
 * What officials expect of a district in a week (from a Monday) or a month (from its first
 * day), for the league table (月晾晒). A null target is not set.
 */
@Entity('district_targets')
@Check('district_targets_period_check', `"period" IN ('week', 'month')`)
export class DistrictTarget {
  @PrimaryColumn({ type: 'varchar', length: 8 })
  period: string;

  @PrimaryColumn({ type: 'date' })
  periodStart: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  district: string;

  @Column(fenColumn({ nullable: true }))
  consumptionFen: number | null;

  @Column(fenColumn({ nullable: true }))
  subsidyFen: number | null;

  @Column({ type: 'integer', nullable: true })
  redeemed: number | null;

  /** Public id of the official who last set it. */
  @Column({ type: 'uuid' })
  setBy: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
