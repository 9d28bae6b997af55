import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { GroupCommit, groupsOf, LotteryEntry, Resident } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { INSERT_ENTRIES } from './lottery.sql';

/** One sign-up waiting for its row. */
export interface PendingEntry {
  roundId: LotteryEntry['roundId'];
  residentId: Resident['publicId'];
  entryHash: LotteryEntry['entryHash'];
}

/**
 * saved: the entry is in Postgres (now, or from an earlier sign-up). closed: the round took no
 * sign-ups when it was written. gone: the resident has no live account (closed or retired since
 * the token was signed), so nothing was written.
 */
export type EntryResult = 'saved' | 'closed' | 'gone';

interface Waiting {
  entry: PendingEntry;
  resolve: (result: EntryResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit of sign-ups, as the claim writer's for grabs and with the same knobs
 * (CLAIM_FLUSH_MS, CLAIM_BATCH_MAX): a rush of sign-ups shares one INSERT per round and batch,
 * and each request is answered once its row is committed. Written on TypeORM's pool, so a
 * sign-up rush and the grab's writer never compete for the same connections.
 */
@Injectable()
export class EntryWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(EntryWriter.name);
  private readonly commits: GroupCommit<Waiting>;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.commits = new GroupCommit({
      flushMs: config.claimFlushMs,
      batchMax: config.claimBatchMax,
      // A few batches at once, on TypeORM's pool: a rush of sign-ups leaves its other connections to reads.
      maxInFlight: 4,
      run: (batch) => this.insertBatch(batch),
    });
  }

  write(entry: PendingEntry): Promise<EntryResult> {
    return new Promise<EntryResult>((resolve, reject) => this.commits.add({ entry, resolve, reject }));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.commits.drain();
  }

  private async insertBatch(batch: Waiting[]): Promise<void> {
    const byRound = groupsOf(batch, (waiting) => waiting.entry.roundId);
    await Promise.all([...byRound.values()].map((group) => this.insertRound(group)));
  }

  private async insertRound(group: Waiting[]): Promise<void> {
    // A resident twice in one batch would be two rows for ON CONFLICT to refuse in one statement: send each once.
    const unique = new Map(group.map((waiting) => [waiting.entry.residentId, waiting.entry]));
    try {
      const [{ open, gone }]: Array<{ open: number; gone: string[] }> = await this.db.query(INSERT_ENTRIES, [
        group[0].entry.roundId,
        [...unique.keys()],
        [...unique.values()].map((entry) => entry.entryHash),
      ]);
      const without = new Set(gone);
      for (const waiting of group) waiting.resolve(open === 0 ? 'closed' : without.has(waiting.entry.residentId) ? 'gone' : 'saved');
    } catch (error) {
      this.logger.error({ err: error, entries: group.length }, 'lottery entry insert failed');
      for (const waiting of group) waiting.reject(error);
    }
  }
}
