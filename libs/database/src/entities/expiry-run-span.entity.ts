import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One chunk of an expiry run as the run planned it when it opened: a range of one campaign's
 * voucher ids, so the chunk reads that campaign's partition of vouchers only. The chunk's row in
 * expiry_run_chunks says it is done.
 */
@Entity('expiry_run_spans')
export class ExpiryRunSpan {
  @PrimaryColumn({ type: 'bigint' })
  runId: string;

  @PrimaryColumn({ type: 'integer' })
  chunkNo: number;

  @Column({ type: 'bigint' })
  campaignId: string;

  /** The first voucher id of the chunk. */
  @Column({ type: 'bigint' })
  fromId: string;

  /** The voucher id past the chunk's last. */
  @Column({ type: 'bigint' })
  toId: string;
}
