import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { timestampColumn } from './columns';
import { Merchant } from './merchant.entity';

/** A merchant admin or cashier; their tokens carry exactly this merchant. */
@Entity('merchant_staff')
@Unique('merchant_staff_merchant_phone_key', ['merchantId', 'phone'])
// Sign-in looks a number up across every merchant's staff.
@Index('merchant_staff_phone_idx', ['phone'])
export class MerchantStaff {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'bigint' })
  merchantId: string;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id' })
  merchant?: Merchant;

  @Column({ type: 'varchar', length: 20 })
  phone: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** merchant_admin | merchant_staff */
  @Column({ type: 'varchar', length: 32 })
  role: string;

  @Column(timestampColumn({ nullable: true }))
  disabledAt: Date | null;

  /** Raised by disabling: access tokens of an older version are refused, also once the member is enabled again. */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
