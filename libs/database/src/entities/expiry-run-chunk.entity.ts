import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from './columns';

/**
 * A chunk of an expiry run that committed, written in the same transaction as the vouchers it
 * expired: a retried or resumed run finds it and does not do the chunk again.
 */
@Entity('expiry_run_chunks')
export class ExpiryRunChunk {
  @PrimaryColumn({ type: 'bigint' })
  runId: string;

  @PrimaryColumn({ type: 'integer' })
  chunkNo: number;

  @Column({ type: 'integer', default: 0 })
  expiredCount: number;

  @Column(timestampColumn({ default: () => 'now()' }))
  doneAt: Date;
}
