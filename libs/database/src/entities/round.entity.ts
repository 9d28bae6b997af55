import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from './campaign.entity';
import { timestampColumn } from './columns';
import { VoucherType } from './voucher-type.entity';

/** A release of one voucher type's stock at a fixed time (a weekly 10:00 round, say). */
@Entity('rounds')
@Check('rounds_quantity_check', '"quantity" >= 0')
@Check('rounds_issued_check', '"issued" >= 0 AND "issued" <= "quantity"')
export class Round {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'bigint' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column({ type: 'bigint' })
  voucherTypeId: string;

  @ManyToOne(() => VoucherType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'voucher_type_id' })
  voucherType?: VoucherType;

  @Column(timestampColumn())
  opensAt: Date;

  @Column(timestampColumn({ nullable: true }))
  closesAt: Date | null;

  @Column({ type: 'integer' })
  quantity: number;

  /**
   * Vouchers of this round in Postgres, raised by a statement trigger on every insert into vouchers; its check
   * is the backstop that refuses a batch a stale Redis admitted beyond the quantity.
   */
  @Column({ type: 'integer', default: 0 })
  issued: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
