import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Campaign } from './campaign.entity';

/**
 * The generation of a campaign's admission state in Redis. A rebuild from Postgres bumps it
 * (waiting, by row lock, for claim inserts in flight); an insert carrying an older generation
 * writes nothing, so a claim admitted before Redis lost its data can never oversell after.
 */
@Entity('campaign_admission')
export class CampaignAdmission {
  @PrimaryColumn({ type: 'bigint' })
  campaignId: string;

  @OneToOne(() => Campaign, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column({ type: 'bigint', default: 0 })
  generation: string;
}
