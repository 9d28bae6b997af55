import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from './columns';

/**
 * A chunk of a batch's build that committed: written in the same transaction as the chunk's
 * lines, so a retried chunk finds it and does nothing.
 */
@Entity('settlement_chunks')
export class SettlementChunk {
  @PrimaryColumn({ type: 'bigint' })
  batchId: string;

  @PrimaryColumn({ type: 'integer' })
  chunkNo: number;

  @Column({ type: 'integer' })
  lineCount: number;

  @Column(timestampColumn({ default: () => 'now()' }))
  doneAt: Date;
}
