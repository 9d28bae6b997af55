import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A participating business. The bank account is kept encrypted plus a masked form. */
@Entity('merchants')
@Index('merchants_district_category_status_idx', ['district', 'category', 'status'])
@Index('merchants_district_public_idx', ['district', 'publicId'])
@Index('merchants_status_public_idx', ['status', 'publicId'])
@Index('merchants_latitude_idx', ['latitude'])
// shop_name text_pattern_ops, for name-prefix search; TypeORM cannot express the operator class.
@Index('merchants_shop_name_prefix_idx', { synchronize: false })
export class Merchant {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  /** Unified social credit code (统一社会信用代码), 18 characters. */
  @Column({ type: 'char', length: 18, unique: true })
  creditCode: string;

  @Column({ type: 'varchar', length: 200 })
  registeredName: string;

  @Column({ type: 'varchar', length: 200 })
  shopName: string;

  @Column({ type: 'varchar', length: 16 })
  district: string;

  @Column({ type: 'varchar', length: 32 })
  category: string;

  @Column({ type: 'varchar', length: 300 })
  address: string;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  contactPhone: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  bankAccountName: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  bankName: string | null;

  @Column({ type: 'text', nullable: true })
  bankAccountCipher: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  bankAccountMasked: string | null;

  /** pending | approved | rejected | suspended */
  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
