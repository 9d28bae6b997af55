import { Inject, Injectable, Logger } from '@nestjs/common';
import { newPublicId } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { ExpiryRun, ExpiryRunSpan, recordAudit } from '@vouchers/database';
import { DataSource, EntityManager } from 'typeorm';
import {
  CHUNKS_LEFT,
  DROP_PLAN,
  EXPIRE_CHUNK,
  FINISH_RUN,
  LOCK_EXPIRY_RUNS,
  LOCK_UNPLANNED_RUN,
  OPEN_RUN,
  PLAN_CHUNKS,
  RETIRE_ID_CHUNKS,
  SET_PLANNED,
  START_RUN,
  TAKE_CHUNK,
} from './expiry-run.sql';

/** The advisory lock under which a run is opened (the other keys of the programme are 7_203_614_00x). */
const EXPIRY_RUN_LOCK = 7_203_614_005;

/** The run a job works on. */
type PlannedRun = Pick<ExpiryRun, 'id' | 'publicId' | 'chunkCount'>;

/** One chunk of a run's plan: a range of one campaign's voucher ids. */
type Chunk = Pick<ExpiryRunSpan, 'chunkNo' | 'campaignId' | 'fromId' | 'toId'>;

/** What one chunk expired, as its transaction committed it. */
export interface ExpiredChunk {
  vouchers: number;
  faceValueFen: number;
}

/** What one call of run() did. */
export interface ExpiryOutcome {
  runId: string;
  /** Whether this call opened the run (false: it resumed one left open). */
  opened: boolean;
  /** Chunks this call committed (chunks done before, or by another worker, are not counted). */
  chunks: number;
  vouchers: number;
  faceValueFen: number;
  finished: boolean;
}

/**
 * Expires the vouchers past their validity (DESIGN §8). One run at a time: run() resumes the
 * open run if there is one (a worker died, or a chunk failed, half-way through it), otherwise
 * opens one whose cutoff is now and plans its chunks, each a range of one campaign's voucher ids
 * (so it reads that campaign's partition only). Each chunk is one transaction that records
 * itself with what it expired, so a resumed run does only the chunks missing and a rerun finds
 * nothing left to expire. The job's counts are Postgres', read by officials (GET /v1/expiry/runs).
 */
@Injectable()
export class VoucherExpiry {
  private readonly logger = new Logger(VoucherExpiry.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Runs (or resumes) a run to its end; onChunk hears of each chunk once it committed. A chunk's failure is thrown, the run left open. */
  async run(onChunk: (chunk: ExpiredChunk) => void = () => undefined): Promise<ExpiryOutcome> {
    const { run, opened } = await this.openOrResume();
    const outcome: ExpiryOutcome = { runId: run.publicId, opened, chunks: 0, vouchers: 0, faceValueFen: 0, finished: false };
    const left: Chunk[] = await this.db.query(CHUNKS_LEFT, [run.id]);
    for (const chunk of left) {
      const expired = await this.expireChunk(run.id, chunk);
      if (!expired) continue;
      outcome.chunks += 1;
      outcome.vouchers += expired.vouchers;
      outcome.faceValueFen += expired.faceValueFen;
      onChunk(expired);
    }
    outcome.finished = await this.finish(run);
    return outcome;
  }

  /** Closes the run once every chunk is in, audited as the worker's; false while chunks are missing. */
  private finish(run: PlannedRun): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      // An UPDATE's answer through TypeORM: [rows, count].
      const [[finished]]: [Array<{ expiredCount: number; expiredFen: string }>, number] = await manager.query(FINISH_RUN, [run.id]);
      if (!finished) return false;
      await manager.query(DROP_PLAN, [run.id]);
      const detail = { expiredCount: finished.expiredCount, expiredFen: Number(finished.expiredFen) };
      await recordAudit(manager, {
        actorId: 'settlement-worker',
        actorRole: 'system',
        action: 'voucher_expiry.finished',
        targetType: 'expiry_run',
        targetId: run.publicId,
        detail,
      });
      this.logger.log(`voucher expiry run ${run.publicId} finished: ${detail.expiredCount} vouchers, ${detail.expiredFen} fen`);
      return true;
    });
  }

  private openOrResume(): Promise<{ run: PlannedRun; opened: boolean }> {
    return this.db.transaction(async (manager) => {
      await manager.query(LOCK_EXPIRY_RUNS, [EXPIRY_RUN_LOCK]);
      const [open]: Array<PlannedRun & { planned: boolean }> = await manager.query(OPEN_RUN);
      if (open) {
        const { planned, ...run } = open;
        return { run: planned ? run : { ...run, chunkCount: await this.plan(manager, run) }, opened: false };
      }
      const [started]: Array<Omit<PlannedRun, 'chunkCount'>> = await manager.query(START_RUN, [newPublicId()]);
      return { run: { ...started, chunkCount: await this.plan(manager, { ...started, chunkCount: 0 }) }, opened: true };
    });
  }

  /**
   * Plans the run's chunks by campaign and returns its count of chunks. A run opened by the job
   * before the chunks by campaign (its chunks were ranges of ids, chunkCount of them) keeps what
   * it did; its chunks of ids not done are retired first, then every id is planned again, numbered
   * after them: a voucher the run expired holds the run's id, so nothing is expired twice.
   */
  private async plan(manager: EntityManager, run: PlannedRun): Promise<number> {
    if (run.chunkCount > 0) await manager.query(RETIRE_ID_CHUNKS, [run.id, run.chunkCount]);
    const [locked]: Array<Pick<PlannedRun, 'chunkCount'>> = await manager.query(LOCK_UNPLANNED_RUN, [run.id]);
    const [{ planned }]: Array<{ planned: number }> = await manager.query(PLAN_CHUNKS, [run.id, this.config.expiryChunkVouchers, locked.chunkCount]);
    // An UPDATE's answer through TypeORM: [rows, count].
    const [[{ chunkCount }]]: [Array<Pick<PlannedRun, 'chunkCount'>>, number] = await manager.query(SET_PLANNED, [run.id, planned]);
    return chunkCount;
  }

  /** One chunk in one transaction; null when it was done already (or by a worker beside this one). */
  private expireChunk(runId: string, chunk: Chunk): Promise<ExpiredChunk | null> {
    return this.db.transaction(async (manager) => {
      const taken: unknown[] = await manager.query(TAKE_CHUNK, [runId, chunk.chunkNo]);
      if (taken.length === 0) return null;
      const params = [runId, chunk.chunkNo, chunk.fromId, chunk.toId, chunk.campaignId];
      const [expired]: Array<{ vouchers: number; faceValueFen: string }> = await manager.query(EXPIRE_CHUNK, params);
      return { vouchers: expired.vouchers, faceValueFen: Number(expired.faceValueFen) };
    });
  }
}
