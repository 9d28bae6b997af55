import { Inject, Injectable, Logger } from '@nestjs/common';
import { newPublicId } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { holdDayForSettlement, ledgerAccounts, Merchant, recordAudit, SettlementBatch, SettlementChunk } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { BUILD_CHUNK } from './build-chunk.sql';
import { FINISH_BATCH } from './finish-batch.sql';

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

/** The official whose start opened a batch, for the audit log. */
export interface BatchStarter {
  actorId: string;
  actorRole: string;
  requestId: string;
}

/** What a batch's chunk plan is made from. */
type PlannedBatch = Pick<SettlementBatch, 'id' | 'publicId' | 'businessDate' | 'status' | 'chunkCount'>;

/** What FINISH_BATCH returns of the batch it finished (total_fen is bigint: pg answers text). */
type FinishedBatch = Pick<SettlementBatch, 'publicId' | 'lineCount'> & { totalFen: string };

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

  /**
   * The day's batch, created if need be, with its chunk plan. Opening a day twice gives the same
   * batch. When an official's start opens it, who did is audited in the same transaction (the
   * nightly schedule's opening shows as the worker's build).
   */
  async open(businessDate: string, startedBy?: BatchStarter): Promise<OpenedBatch> {
    const top = await this.db.manager.createQueryBuilder(Merchant, 'm').select('max(m.id)', 'max').getRawOne<{ max: string | null }>();
    const max = top?.max ?? null;
    const size = this.config.settlementChunkMerchants;
    const chunkCount = max === null ? 0 : Math.floor(Number(max) / size) + 1;
    const batch = await this.db.transaction(async (manager) => {
      // Opening a day twice: the second insert conflicts on business_date and does nothing.
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(SettlementBatch)
        .values({ publicId: newPublicId(), businessDate, status: 'building', chunkCount })
        .orIgnore()
        .returning(['publicId'])
        .updateEntity(false)
        .execute();
      const opened = await manager.findOneByOrFail(SettlementBatch, { businessDate });
      if (startedBy && (inserted.raw as unknown[]).length > 0) {
        await recordAudit(manager, {
          actorId: startedBy.actorId,
          actorRole: startedBy.actorRole,
          action: 'settlement_batch.start',
          targetType: 'settlement_batch',
          targetId: opened.publicId,
          detail: { to: 'building', businessDate },
          requestId: startedBy.requestId,
        });
      }
      return opened;
    });
    return this.planOf(batch);
  }

  /** Every batch still building, with its chunk plan: what the build watchdog checks against the queue. */
  async building(): Promise<OpenedBatch[]> {
    const batches = await this.db.manager.find(SettlementBatch, { where: { status: 'building' }, order: { businessDate: 'ASC' } });
    return batches.map((batch) => this.planOf(batch));
  }

  /** The chunk plan is fixed by the batch's chunk_count (set when it was opened), whatever merchants came since. */
  private planOf(batch: PlannedBatch): OpenedBatch {
    const size = this.config.settlementChunkMerchants;
    const chunks = Array.from({ length: batch.chunkCount }, (_, chunkNo) => ({
      chunkNo,
      fromMerchantId: String(chunkNo * size),
      toMerchantId: chunkNo === batch.chunkCount - 1 ? null : String((chunkNo + 1) * size),
    }));
    return { batchId: batch.id, publicId: batch.publicId, businessDate: batch.businessDate, status: batch.status, chunks };
  }

  /** Builds one chunk unless it is already built; returns what it wrote. */
  async buildChunk(batchId: string, businessDate: string, chunk: ChunkPlan): Promise<{ lines: number; redemptions: number; skipped: boolean }> {
    return this.db.transaction(async (manager) => {
      await holdDayForSettlement(manager, businessDate);
      // No row lock on the batch: chunks of one batch run side by side (chunks_done is bumped at the very end).
      const batch = await manager.findOne(SettlementBatch, { select: { id: true, status: true }, where: { id: batchId } });
      const done = await manager.existsBy(SettlementChunk, { batchId, chunkNo: chunk.chunkNo });
      if (!batch || batch.status !== 'building' || done) return { lines: 0, redemptions: 0, skipped: true };
      const [written]: Array<{ lines: number; redemptions: number }> = await manager.query(BUILD_CHUNK, [
        batchId,
        businessDate,
        chunk.chunkNo,
        chunk.fromMerchantId,
        chunk.toMerchantId,
        ledgerAccounts.payablePrefix,
        ledgerAccounts.clawbackPrefix,
      ]);
      await manager.increment(SettlementBatch, { id: batchId }, 'chunksDone', 1);
      return { ...written, skipped: false };
    });
  }

  /** Once every chunk is built: totals, and the batch goes to pending_approval (audited). False while chunks are missing. */
  async finish(batchId: string): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const [built]: [FinishedBatch[], number] = await manager.query(FINISH_BATCH, [batchId]);
      if (built.length > 0) {
        const [batch] = built;
        await recordAudit(manager, {
          actorId: 'settlement-worker',
          actorRole: 'system',
          action: 'settlement_batch.built',
          targetType: 'settlement_batch',
          targetId: batch.publicId,
          detail: { to: 'pending_approval', lineCount: batch.lineCount, totalFen: Number(batch.totalFen) },
        });
        this.logger.log(`settlement batch ${batch.publicId} built: ${batch.lineCount} lines`);
        return true;
      }
      const batch = await manager.findOne(SettlementBatch, { select: { id: true, status: true }, where: { id: batchId } });
      return batch !== null && batch.status !== 'building';
    });
  }
}
