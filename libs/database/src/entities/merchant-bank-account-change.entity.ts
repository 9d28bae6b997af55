import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumn } from './columns';
import { Merchant } from './merchant.entity';

/**
 * A new bank account an approved merchant's admin asked for, held for an official's review:
 * the merchant's own columns keep the approved account, which is all settlement ever reads,
 * until an official approves this one (then it is copied there). The number is sealed like
 * the merchant's own (libs/common bank-account.ts) and shown only masked.
 *
 * status: pending → approved | rejected by an official, or withdrawn by the merchant's next
 * request. At most one change of a merchant is pending (a partial unique index).
 */
@Entity('merchant_bank_account_changes')
@Check('merchant_bank_account_changes_status_check', `"status" IN ('pending', 'approved', 'rejected', 'withdrawn')`)
@Index('merchant_bank_account_changes_one_pending_idx', ['merchantId'], { unique: true, where: `"status" = 'pending'` })
// Officials list pending changes in public id (time) order.
@Index('merchant_bank_account_changes_status_public_idx', ['status', 'publicId'])
// A merchant's changes newest first: the till's shop page and the officials' merchant record.
@Index('merchant_bank_account_changes_merchant_idx', ['merchantId', 'id'])
export class MerchantBankAccountChange {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'bigint' })
  merchantId: string;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id' })
  merchant?: Merchant;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: string;

  /** The account asked for, whole: what the merchant named, the rest as the approved account had it. */
  @Column({ type: 'varchar', length: 200 })
  bankAccountName: string;

  @Column({ type: 'varchar', length: 100 })
  bankName: string;

  @Column({ type: 'text' })
  bankAccountCipher: string;

  @Column({ type: 'varchar', length: 40 })
  bankAccountMasked: string;

  /** Public id of the merchant admin who asked. */
  @Column({ type: 'varchar', length: 64 })
  requestedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  requestedAt: Date;

  /** Public id of the official who decided, or of the admin whose later request withdrew it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  decidedBy: string | null;

  @Column(timestampColumn({ nullable: true }))
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;
}
