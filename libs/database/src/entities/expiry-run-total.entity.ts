import { Column, Entity, PrimaryColumn } from 'typeorm';
import { fenColumn } from './columns';

/**
 * What one expiry run expired of one round (so of one campaign and voucher type): how many
 * vouchers and their face value. Returning unused value to a later round (回流) reads this.
 */
@Entity('expiry_run_totals')
export class ExpiryRunTotal {
  @PrimaryColumn({ type: 'bigint' })
  runId: string;

  @PrimaryColumn({ type: 'bigint' })
  roundId: string;

  @Column({ type: 'bigint' })
  campaignId: string;

  @Column({ type: 'bigint' })
  voucherTypeId: string;

  @Column({ type: 'integer' })
  vouchers: number;

  @Column(fenColumn())
  faceValueFen: number;
}
