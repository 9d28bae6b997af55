import { Check, Entity, PrimaryColumn } from 'typeorm';

/**
 * Who took part, first seen per business day and key (the keys of figures_days): residents
 * ('r') who redeemed a voucher and merchants ('m') that redeemed one. Written by the till's trigger with
 * ON CONFLICT DO NOTHING, so a party is one row per day and key however often it acts; distinct
 * counts over days or coarser keys are count(DISTINCT party_id) of the range's rows.
 */
@Entity('figures_parties')
@Check('figures_parties_kind_check', `"kind" IN ('r', 'm')`)
export class FiguresParty {
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

  @PrimaryColumn({ type: 'char', length: 1 })
  kind: string;

  /** The resident's or merchant's database id. */
  @PrimaryColumn({ type: 'bigint' })
  partyId: string;
}
