import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A period (a business day, a week from a Monday, a month from its first day) whose distinct
 * party counts are stored in figures_party_counts. A closed period (its last day over) is
 * counted once, by the close-figures job or the first read of it, and never again; an open day
 * (today) is counted again by a read when its counts are a few seconds old (ReadFigures). A
 * closed period's additive totals are stored beside (figures_period_totals, PeriodTotals).
 */
@Entity('figures_party_periods')
@Check('figures_party_periods_period_check', `"period" IN ('day', 'week', 'month')`)
export class FiguresPartyPeriod {
  @PrimaryColumn({ type: 'varchar', length: 8 })
  period: string;

  @PrimaryColumn({ type: 'date' })
  periodStart: string;

  @Column({ type: 'date' })
  periodEnd: string;

  /** True once counted after the period's last day was over: the counts are final. */
  @Column({ type: 'boolean' })
  closed: boolean;

  @Column({ type: 'timestamptz' })
  computedAt: Date;

  /** True until a closed period's additive totals are stored (figures_period_totals), and again when an expiry lands on one of its days. */
  @Column({ type: 'boolean', default: true })
  totalsStale: boolean;
}
