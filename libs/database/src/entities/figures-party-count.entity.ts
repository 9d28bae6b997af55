import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Residents and merchants taking part in a period (figures_party_periods), counted distinct
 * over figures_parties for each grouping an answer may need: the period's total, by campaign,
 * voucher type, district, category, and district with each of the last three. Distinct counts
 * do not add up across days, so each kind of period has its own rows. A key column summed away
 * holds '' or 0 (a primary key takes no null).
 */
@Entity('figures_party_counts')
export class FiguresPartyCount {
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
  residents: string;

  @Column({ type: 'bigint' })
  merchants: string;
}
