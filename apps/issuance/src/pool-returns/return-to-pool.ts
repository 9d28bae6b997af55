import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { DataSource } from 'typeorm';
import { PoolReturnMetrics } from './pool-return-metrics';
import { PendingRedisReturn, RecordedReturn, ReturnSource, ReturnStockReply } from './pool-return.types';
import { CLOSED_ROUND_SOURCES, EXPIRY_SOURCES, MARK_APPLIED, REDIS_PENDING } from './pool-returns.sql';
import { BudgetImbalance, recordReturn } from './record-return';
import { isSettled, ReturnStock } from './return-stock';

/** Sources taken in one pass of each kind, and returns whose Redis half one pass tries. */
const PASS_SIZE = 500;

/** A state lock met by the Redis step is tried again this many times, this far apart. */
const BUSY_ATTEMPTS = 5;
const BUSY_WAIT_MS = 50;

/** What one run did. */
export interface ReturnOutcome {
  recorded: RecordedReturn[];
  /** Returns whose Redis half this run settled (its own and any left by an earlier run). */
  redisSettled: number;
  /** Returns whose Redis half is still to do (a busy state): the next run tries again. */
  redisPending: number;
  /** Sources refused because their figures would not add up (logged, counted, left for a person). */
  refused: string[];
}

/**
 * Returns unused value to the pool (回流, DESIGN §8): the vouchers finished expiry runs expired
 * and the stock rounds left unclaimed when they closed, of campaigns whose policy returns it.
 * Postgres first: each source in one transaction (record-return.ts), unique per source, so a
 * rerun, a duplicate job or a second process records nothing twice. Then Redis: each return's
 * stock is added to the admission state by a script keyed by the return's id, and the return is
 * marked done; a process that died between the two leaves it unmarked, and the next run (of any
 * process) applies it, at most once whatever Redis already holds.
 */
@Injectable()
export class ReturnToPool {
  private readonly logger = new Logger(ReturnToPool.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ReturnStock) private readonly stock: ReturnStock,
    @Inject(PoolReturnMetrics) private readonly metrics: PoolReturnMetrics,
  ) {}

  async run(): Promise<ReturnOutcome> {
    const { recorded, refused } = await this.recordSources();
    const redis = await this.applyPending();
    return { recorded, refused, ...redis };
  }

  /**
   * Every source found, each in its own transaction, and each return's Redis step at once after
   * its commit (the state differs from Postgres for as short a time as can be); a step that
   * could not be done is left to applyPending.
   */
  async recordSources(): Promise<Pick<ReturnOutcome, 'recorded' | 'refused'>> {
    const sources: ReturnSource[] = [
      ...(await this.db.query(EXPIRY_SOURCES, [PASS_SIZE])),
      ...(await this.db.query(CLOSED_ROUND_SOURCES, [this.config.poolReturnGraceMs, PASS_SIZE])),
    ];
    const recorded: RecordedReturn[] = [];
    const refused: string[] = [];
    for (const source of sources) {
      try {
        const done = await this.db.transaction((manager) => recordReturn(manager, source));
        if (!done) continue;
        const r = done.recorded;
        recorded.push(r);
        this.metrics.recorded(r);
        this.logger.log(`pool return ${r.id}: ${r.vouchers} vouchers, ${r.valueFen} fen from ${r.sourceKey} to ${r.destination}`);
        // Redis not answering leaves the step to a later run; the sources after this one go on.
        await this.applyAndMark(done.redis).catch((error: unknown) => this.logger.warn({ err: error }, `pool return ${r.id}: Redis step left for the next run`));
      } catch (error) {
        if (!(error instanceof BudgetImbalance)) throw error;
        refused.push(source.sourceKey);
        this.metrics.imbalance();
        this.logger.error(error.message);
      }
    }
    return { recorded, refused };
  }

  /** The Redis half of every return not marked done yet. */
  async applyPending(): Promise<Pick<ReturnOutcome, 'redisSettled' | 'redisPending'>> {
    const pending: PendingRedisReturn[] = await this.db.query(REDIS_PENDING, [PASS_SIZE]);
    let settled = 0;
    for (const row of pending) if (await this.applyAndMark(row)) settled += 1;
    return { redisSettled: settled, redisPending: pending.length - settled };
  }

  /** One return's Redis step, and the mark that it is done; false when it is left for a later run. */
  private async applyAndMark(row: PendingRedisReturn): Promise<boolean> {
    if (!isSettled(await this.applyOne(row))) return false;
    await this.db.query(MARK_APPLIED, [row.id]);
    return true;
  }

  /** One return's script; a state lock held for a moment (the watch's sync) is waited out a few times, a rebuild is left to the next run. */
  private async applyOne(row: PendingRedisReturn): Promise<ReturnStockReply> {
    for (let attempt = 1; ; attempt += 1) {
      const reply = await this.stock.apply(row);
      this.metrics.redisStep(reply);
      if (reply !== 'BUSY' || attempt === BUSY_ATTEMPTS) return reply;
      await new Promise((resolve) => setTimeout(resolve, BUSY_WAIT_MS));
    }
  }
}
