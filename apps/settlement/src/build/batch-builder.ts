import { Inject, Injectable, Logger } from '@nestjs/common';
import { newPublicId } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { holdDayForSettlement, recordAudit } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { BUILD_CHUNK } from './build-chunk.sql';

export interface ChunkPlan {
  chunkNo: number;
  fromMerchantId: string;
  /** null: no upper bound (the last chunk also takes merchants added since the plan). */
  toMerchantId: string | null;
}

export interface OpenedBatch {
  batchId: string;
  publicId: string;
  /** YYYY-MM-DD */
  businessDate: string;
  status: string;
  chunks: ChunkPlan[];
}

interface BatchRow {
  id: string;
  public_id: string;
  business_date: string;
  status: string;
  chunk_count: number;
}

const BATCH_ROW = `id, public_id, to_char(business_date, 'YYYY-MM-DD') AS business_date, status, chunk_count`;

/**
 * Builds one settlement batch per business day (DESIGN §7) in chunks of merchants, each
 * chunk one transaction that records itself (settlement_chunks), so a retried chunk that had
 * committed does nothing and one that had not starts clean. The batch stays `building`,
 * which nobody can approve, until finish() sees every chunk done.
 */
@Injectable()
export class BatchBuilder {
  private readonly logger = new Logger(BatchBuilder.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The day's batch, created if need be, with its chunk plan. Opening a day twice gives the same batch. */
  async open(businessDate: string): Promise<OpenedBatch> {
    const [{ max }]: Array<{ max: string | null }> = await this.db.query('SELECT max(id) AS max FROM merchants');
    const size = this.config.settlementChunkMerchants;
    const chunkCount = max === null ? 0 : Math.floor(Number(max) / size) + 1;
    await this.db.query(
      `INSERT INTO settlement_batches (public_id, business_date, status, chunk_count) VALUES ($1, $2, 'building', $3)
       ON CONFLICT (business_date) DO NOTHING`,
      [newPublicId(), businessDate, chunkCount],
    );
    const [batch]: BatchRow[] = await this.db.query(`SELECT ${BATCH_ROW} FROM settlement_batches WHERE business_date = $1`, [businessDate]);
    return this.planOf(batch);
  }

  /** Every batch still building, with its chunk plan: what the build watchdog checks against the queue. */
  async building(): Promise<OpenedBatch[]> {
    const rows: BatchRow[] = await this.db.query(`SELECT ${BATCH_ROW} FROM settlement_batches WHERE status = 'building' ORDER BY business_date`);
    return rows.map((row) => this.planOf(row));
  }

  /** The chunk plan is fixed by the batch's chunk_count (set when it was opened), whatever merchants came since. */
  private planOf(batch: BatchRow): OpenedBatch {
    const size = this.config.settlementChunkMerchants;
    const chunks = Array.from({ length: batch.chunk_count }, (_, chunkNo) => ({
      chunkNo,
      fromMerchantId: String(chunkNo * size),
      toMerchantId: chunkNo === batch.chunk_count - 1 ? null : String((chunkNo + 1) * size),
    }));
    return { batchId: batch.id, publicId: batch.public_id, businessDate: batch.business_date, status: batch.status, chunks };
  }

  /** Builds one chunk unless it is already built; returns what it wrote. */
  async buildChunk(batchId: string, businessDate: string, chunk: ChunkPlan): Promise<{ lines: number; redemptions: number; skipped: boolean }> {
    return this.db.transaction(async (manager) => {
      await holdDayForSettlement(manager, businessDate);
      // No row lock on the batch: chunks of one batch run side by side (chunks_done is bumped at the very end).
      const [batch]: Array<{ status: string }> = await manager.query('SELECT status FROM settlement_batches WHERE id = $1', [batchId]);
      const [done] = await manager.query('SELECT 1 FROM settlement_chunks WHERE batch_id = $1 AND chunk_no = $2', [batchId, chunk.chunkNo]);
      if (!batch || batch.status !== 'building' || done) return { lines: 0, redemptions: 0, skipped: true };
      const [written]: Array<{ lines: number; redemptions: number }> = await manager.query(BUILD_CHUNK, [
        batchId,
        businessDate,
        chunk.chunkNo,
        chunk.fromMerchantId,
        chunk.toMerchantId,
      ]);
      await manager.query('UPDATE settlement_batches SET chunks_done = chunks_done + 1 WHERE id = $1', [batchId]);
      return { ...written, skipped: false };
    });
  }

  /** Once every chunk is built: totals, and the batch goes to pending_approval (audited). False while chunks are missing. */
  async finish(batchId: string): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const [built]: [Array<{ public_id: string; line_count: number; total_fen: string }>, number] = await manager.query(
        `UPDATE settlement_batches b
            SET status = 'pending_approval', built_at = now(), line_count = t.lines, redemption_count = t.redemptions, total_fen = t.total
           FROM (SELECT count(*)::int AS lines, COALESCE(sum(redemption_count), 0)::int AS redemptions,
                        COALESCE(sum(amount_fen) FILTER (WHERE status = 'pending'), 0) AS total
                   FROM settlement_lines WHERE batch_id = $1) t
          WHERE b.id = $1 AND b.status = 'building'
            AND (SELECT count(*) FROM settlement_chunks WHERE batch_id = $1) = b.chunk_count
         RETURNING b.public_id, b.line_count, b.total_fen`,
        [batchId],
      );
      if (built.length > 0) {
        const [batch] = built;
        await recordAudit(manager, {
          actorId: 'settlement-worker',
          actorRole: 'system',
          action: 'settlement_batch.built',
          targetType: 'settlement_batch',
          targetId: batch.public_id,
          detail: { to: 'pending_approval', lineCount: batch.line_count, totalFen: Number(batch.total_fen) },
        });
        this.logger.log(`settlement batch ${batch.public_id} built: ${batch.line_count} lines`);
        return true;
      }
      const [batch]: Array<{ status: string }> = await manager.query('SELECT status FROM settlement_batches WHERE id = $1', [batchId]);
      return batch !== undefined && batch.status !== 'building';
    });
  }
}
