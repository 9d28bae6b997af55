import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The additive figures of a closed period (figures_party_periods), for each grouping an answer
 * may need, keyed as figures_party_counts is: summed from its days' figures_days rows once, so a
 * read of a closed day, week or month reads a few rows by key. Stored again when marked stale (an
 * expiry landing late on one of its days). A key column summed away holds '' or 0.
 */
@Entity('figures_period_totals')
export class FiguresPeriodTotal {
  @PrimaryColumn({ type: 'varchar', length: 8 })
  period: string;

  @PrimaryColumn({ type: 'date' })
  periodStart: string;

  /** The grouping, by ReadFigures' names: total, campaign, voucherType, district, category, districtCampaign, … */
  @PrimaryColumn({ type: 'varchar', length: 24 })
  dimension: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  district: string;

  @PrimaryColumn({ type: 'bigint' })
  campaignId: string;

  @PrimaryColumn({ type: 'bigint' })
  voucherTypeId: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  category: string;

  @Column({ type: 'bigint' })
  claimed: string;

  @Column({ type: 'bigint' })
  claimedFen: string;

  @Column({ type: 'bigint' })
  redeemed: string;

  @Column({ type: 'bigint' })
  orderAmountFen: string;

  @Column({ type: 'bigint' })
  discountFen: string;

  @Column({ type: 'bigint' })
  cityFen: string;

  @Column({ type: 'bigint' })
  districtFen: string;

  @Column({ type: 'bigint' })
  refunded: string;

  @Column({ type: 'bigint' })
  refundAmountFen: string;

  @Column({ type: 'bigint' })
  reversedFen: string;

  @Column({ type: 'bigint' })
  reversedCityFen: string;

  @Column({ type: 'bigint' })
  reversedDistrictFen: string;

  @Column({ type: 'bigint' })
  expired: string;

  @Column({ type: 'bigint' })
  expiredFen: string;
}
