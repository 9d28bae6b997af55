import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn, timestampColumn } from './columns';

/**
 * One run of the voucher expiry job: it marks expired every voucher whose validity ended by
 * `cutoff`, in chunks of one campaign's voucher ids (planned in expiry_run_spans, done in
 * expiry_run_chunks), and adds up here what its chunks
 * expired. At most one run is open (finished_at null) at a time: a job finding one resumes it.
 */
@Entity('expiry_runs')
export class ExpiryRun {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  /** Vouchers whose expires_at is at or before this moment (the run's start) are expired by it. */
  @Column(timestampColumn())
  cutoff: Date;

  @Column({ type: 'integer' })
  chunkCount: number;

  @Column({ type: 'integer', default: 0 })
  chunksDone: number;

  @Column({ type: 'integer', default: 0 })
  expiredCount: number;

  @Column(fenColumn({ default: 0 }))
  expiredFen: number;

  @Column(timestampColumn({ default: () => 'now()' }))
  startedAt: Date;

  /**
   * When its chunks were planned (expiry_run_spans). Null: not yet, a run opened by the job
   * before the chunks by campaign; the job plans it when it resumes it.
   */
  @Column(timestampColumn({ nullable: true }))
  plannedAt: Date | null;

  @Column(timestampColumn({ nullable: true }))
  finishedAt: Date | null;
}
