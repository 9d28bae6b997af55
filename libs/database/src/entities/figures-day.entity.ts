import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { fenColumn } from './columns';

/**
 * The program's running totals (DESIGN §9): one row per business day, campaign, voucher type,
 * district, category and slot, raised by statement triggers in the transactions that write
 * claims, redemptions, refunds and expiries (migration FiguresRollup). A key is striped over a
 * few slots (the writing backend's pid picks one) so concurrent tills do not queue on one row;
 * readers sum the slots. Claims and expiries count in the campaign's district and category
 * (figures_claim_district, figures_claim_category), redemptions and refunds in the merchant's.
 * Nothing else writes here; the recount job compares these totals with the raw tables.
 */
@Entity('figures_days')
// The operators' metrics read active campaigns' totals since they began, at every scrape.
@Index('figures_days_campaign_idx', ['campaignId'])
export class FiguresDay {
  /** Asia/Shanghai business day: claimed_at, redemption or refund business_date, expires_at. */
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'bigint' })
  campaignId: string;

  @PrimaryColumn({ type: 'bigint' })
  voucherTypeId: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  district: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  category: string;

  @PrimaryColumn({ type: 'smallint' })
  slot: number;

  @Column({ type: 'bigint', default: 0 })
  claimed: string;

  @Column(fenColumn({ default: 0 }))
  claimedFen: number;

  @Column({ type: 'bigint', default: 0 })
  redeemed: string;

  @Column(fenColumn({ default: 0 }))
  orderAmountFen: number;

  @Column(fenColumn({ default: 0 }))
  discountFen: number;

  @Column(fenColumn({ default: 0 }))
  cityFen: number;

  @Column(fenColumn({ default: 0 }))
  districtFen: number;

  @Column({ type: 'bigint', default: 0 })
  refunded: string;

  @Column(fenColumn({ default: 0 }))
  refundAmountFen: number;

  @Column(fenColumn({ default: 0 }))
  reversedFen: number;

  @Column(fenColumn({ default: 0 }))
  reversedCityFen: number;

  @Column(fenColumn({ default: 0 }))
  reversedDistrictFen: number;

  @Column({ type: 'bigint', default: 0 })
  expired: string;

  @Column(fenColumn({ default: 0 }))
  expiredFen: number;
}
