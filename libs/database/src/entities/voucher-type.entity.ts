import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from './campaign.entity';
import { fenColumn } from './columns';

/** One kind of voucher in a campaign, e.g. 满100减30: threshold 10000 fen, face value 3000 fen. */
@Entity('voucher_types')
@Check('voucher_types_amounts_check', '"face_value_fen" > 0 AND "threshold_fen" >= "face_value_fen"')
export class VoucherType {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'bigint' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column(fenColumn())
  faceValueFen: number;

  @Column(fenColumn())
  thresholdFen: number;
}
