import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { GroupCommit, openPgPool, sqlStateOf } from '@vouchers/database';
import type { Pool } from 'pg';
import { GrabTiming } from './grab-timing';
import { claimConnectionName, ProcessLife } from './process-life';

/** One admitted claim waiting for its row. */
export interface ClaimRow {
  voucherId: string;
  campaignId: string;
  internalCampaignId: string;
  generation: string;
  internalRoundId: string;
  residentId: string;
  slot: number;
  faceValueFen: number;
  thresholdFen: number;
  claimedAt: Date;
  expiresAt: Date;
  idempotencyKey: string;
}

/**
 * inserted: the row is committed. conflict: a row for this person and round (or slot) already
 * existed. stale: the admission generation moved on. late: it waited past GrabTiming's queue deadline
 * for its batch and was not sent. refused: Postgres refused the batch because a round would pass
 * its quantity (rounds_issued_check): the admission state in Redis is wrong and must be rebuilt.
 */
export type WriteResult = 'inserted' | 'conflict' | 'stale' | 'late' | 'refused';

/** The backstop of DESIGN §5: the check on rounds.issued, raised by a trigger on every insert into vouchers. */
function isQuantityBackstop(error: unknown): boolean {
  return sqlStateOf(error) === '23514' && (error as { constraint?: unknown }).constraint === 'rounds_issued_check';
}

interface Waiting {
  row: ClaimRow;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Connections of the writer, and batches written at once: while all are busy, the next batch
 * gathers every claim that arrives. bench:grab, runs alternated on the same build: with 2
 * batches at once the p99 was 104-120 ms, with 4 87-104 ms (lower in each of 5 pairs), with 8
 * 90-95 ms against 4's 90-103 (3 pairs). Answers where every grab was a new voucher came at
 * 7,000-8,000/s with 2, 7,000-8,800/s with 4 and 8,200-9,400/s with 8. Each issuance process
 * holds these 8 Postgres connections besides its TypeORM pool.
 */
const WRITER_CONNECTIONS = 8;

/**
 * One statement, so one round trip in autocommit: the share lock on the campaign's admission
 * generation (a rebuild waits for it) and the insert, which writes nothing when the generation
 * is stale. `current` tells stale (0) from rows refused by a unique key.
 *
 * Each resident is looked up by a scalar subquery, so always through the unique index on
 * residents.public_id: a join let the planner hash the whole residents table for every batch
 * (24 ms of a 30 ms batch of 250 on 60,000 residents). Named, so planned once per connection.
 */
const INSERT_CLAIMS = {
  name: 'insert-claims-v2',
  text: `
  WITH admission AS (
    SELECT 1 FROM campaign_admission WHERE campaign_id = $1 AND generation = $2 FOR SHARE
  ), claims AS MATERIALIZED (
    SELECT c.*, (SELECT res.id FROM residents res WHERE res.public_id = c.resident_public_id) AS resident_id
      FROM unnest($3::uuid[], $4::bigint[], $5::uuid[], $6::smallint[], $7::bigint[], $8::bigint[],
                  $9::timestamptz[], $10::timestamptz[], $11::text[])
           AS c(public_id, round_id, resident_public_id, slot, face, threshold, claimed_at, expires_at, idem)
  ), inserted AS (
    INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq,
                          face_value_fen, threshold_fen, status, claimed_at, expires_at, idempotency_key)
    SELECT c.public_id, $1, c.round_id, c.resident_id, c.slot, c.face, c.threshold, 'claimed',
           c.claimed_at, c.expires_at, NULLIF(c.idem, '')
      FROM claims c
     WHERE c.resident_id IS NOT NULL AND EXISTS (SELECT 1 FROM admission)
    ON CONFLICT DO NOTHING
    RETURNING public_id
  )
  SELECT (SELECT count(*) FROM admission)::int AS current, array_agg(public_id)::text[] AS ids FROM inserted`,
};

/**
 * Group commit: claims from many concurrent requests share one multi-row INSERT, flushed
 * every claimFlushMs or as soon as claimBatchMax are waiting. Each request is answered only
 * after its own row is committed (invariant 3). The insert first takes a share lock on the
 * campaign's admission generation, so a Redis rebuild waits for it, and a stale one writes nothing.
 * Postgres counts each round's rows in the same statement (rounds.issued, by trigger) and refuses
 * the whole batch when a round would pass its quantity, whatever Redis admitted.
 *
 * The writer has its own small pool of pg connections (the driver TypeORM runs on) whose
 * sessions carry the statement and lock timeouts: the grab's writes neither queue behind
 * other queries nor hold a connection hostage, and a batch costs one round trip, not six.
 */
@Injectable()
export class ClaimWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ClaimWriter.name);
  private readonly pool: Pool;
  private readonly commits: GroupCommit<Waiting>;

  /**
   * The pool's connection wait and its sessions' statement (and lock) timeout, and the queue
   * deadline of insertBatch, are the timing's: a claim sent in time commits or fails before the
   * sweeper could give its reservation back (GrabTiming).
   */
  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(ProcessLife) life: ProcessLife,
    @Inject(GrabTiming) private readonly timing: GrabTiming,
  ) {
    // Named for this process's life: while any of them is in Postgres, its claims may still commit.
    const options = {
      max: WRITER_CONNECTIONS,
      connectionWaitMs: timing.poolWaitMs,
      timeoutMs: timing.statementTimeoutMs,
      applicationName: claimConnectionName(life.id),
    };
    this.pool = openPgPool(config.databaseUrl, options, (error) =>
      this.logger.warn({ err: error }, 'claim writer connection lost'),
    );
    this.commits = new GroupCommit({
      flushMs: config.claimFlushMs,
      batchMax: config.claimBatchMax,
      maxInFlight: WRITER_CONNECTIONS,
      run: (batch) => this.insertBatch(batch),
    });
  }

  write(row: ClaimRow): Promise<WriteResult> {
    return new Promise<WriteResult>((resolve, reject) => this.commits.add({ row, resolve, reject }));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.commits.drain();
    await this.pool.end();
  }

  private async insertBatch(batch: Waiting[]): Promise<void> {
    // A claim that waited past the deadline is not sent: sent now, it could commit after the sweeper gave its reservation back.
    const oldest = Date.now() - this.timing.queueDeadlineMs;
    const groups = new Map<string, Waiting[]>();
    for (const waiting of batch) {
      if (waiting.row.claimedAt.getTime() < oldest) {
        waiting.resolve('late');
        continue;
      }
      const key = `${waiting.row.internalCampaignId}:${waiting.row.generation}`;
      const group = groups.get(key);
      if (group) group.push(waiting);
      else groups.set(key, [waiting]);
    }
    await Promise.all([...groups.values()].map((group) => this.insertGroup(group)));
  }

  private async insertGroup(group: Waiting[]): Promise<void> {
    const rows = group.map((waiting) => waiting.row);
    try {
      const { rows: [answer] } = await this.pool.query<{ current: number; ids: string[] | null }>({
        ...INSERT_CLAIMS,
        values: [
          rows[0].internalCampaignId,
          rows[0].generation,
          rows.map((r) => r.voucherId),
          rows.map((r) => r.internalRoundId),
          rows.map((r) => r.residentId),
          rows.map((r) => r.slot),
          rows.map((r) => r.faceValueFen),
          rows.map((r) => r.thresholdFen),
          rows.map((r) => r.claimedAt.toISOString()),
          rows.map((r) => r.expiresAt.toISOString()),
          rows.map((r) => r.idempotencyKey),
        ],
      });
      const inserted = answer.current === 0 ? null : new Set(answer.ids ?? []);
      for (const waiting of group) {
        if (inserted === null) waiting.resolve('stale');
        else waiting.resolve(inserted.has(waiting.row.voucherId) ? 'inserted' : 'conflict');
      }
    } catch (error) {
      if (isQuantityBackstop(error)) {
        this.logger.error({ campaignId: rows[0].campaignId, generation: rows[0].generation, claims: group.length }, 'a batch would oversell a round: the admission state in Redis is wrong');
        for (const waiting of group) waiting.resolve('refused');
        return;
      }
      this.logger.error({ err: error, claims: group.length }, 'claim insert failed');
      for (const waiting of group) waiting.reject(error);
    }
  }
}
