import { Inject, Injectable, Logger } from '@nestjs/common';
import { newPublicId } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { ExpiryRun, ExpiryRunSpan, recordAudit } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { CHUNKS_LEFT, EXPIRE_CHUNK, FINISH_RUN, LOCK_EXPIRY_RUNS, OPEN_RUN, PLAN_RUN, START_RUN, TAKE_CHUNK } from './expiry-run.sql';

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
      const [open]: PlannedRun[] = await manager.query(OPEN_RUN);
      if (open) return { run: open, opened: false };
      const [started]: Array<Omit<PlannedRun, 'chunkCount'>> = await manager.query(START_RUN, [newPublicId()]);
      // An UPDATE's answer through TypeORM: [rows, count].
      const [[{ chunkCount }]]: [Array<Pick<PlannedRun, 'chunkCount'>>, number] = await manager.query(PLAN_RUN, [started.id, this.config.expiryChunkVouchers]);
      return { run: { ...started, chunkCount }, opened: true };
    });
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
