import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { Campaign, CampaignAdmission, GroupCommit, groupsOf, openPgPool, Resident, sqlStateOf, Voucher } from '@vouchers/database';
import type { Pool } from 'pg';
import { INSERT_CLAIMS } from './claim-writer.sql';
import { GrabTiming } from './grab-timing';
import { claimConnectionName, ProcessLife } from './process-life';

/**
 * One admitted claim waiting for its row in vouchers: the row's own columns as the entity
 * describes them, and the public ids and generation the insert resolves or checks.
 */
export type AdmittedClaim = Pick<Voucher, 'faceValueFen' | 'thresholdFen' | 'claimedAt' | 'expiresAt'> & {
  /** The voucher's public id (vouchers.public_id). */
  voucherId: Voucher['publicId'];
  /** The campaign's public id, for the log. */
  campaignId: Campaign['publicId'];
  internalCampaignId: Voucher['campaignId'];
  /** The admission generation the claim was admitted under (campaign_admission.generation). */
  generation: CampaignAdmission['generation'];
  internalRoundId: Voucher['roundId'];
  /** The resident's public id; the insert looks up the internal one. */
  residentId: Resident['publicId'];
  /** The person's slot in the campaign (vouchers.person_seq). */
  slot: Voucher['personSeq'];
  /** The Idempotency-Key, or '' for none (stored as null). */
  idempotencyKey: string;
};

/**
 * inserted: the row is committed. conflict: a row for this person and round (or slot) already
 * existed. stale: the admission generation moved on. late: it waited past GrabTiming's queue deadline
 * for its batch and was not sent. refused: Postgres refused the batch because a round would pass
 * its quantity (rounds_issued_check): the admission state in Redis is wrong and must be rebuilt.
 * gone: the resident has no live account (closed, or retired by a number change, since the token was signed).
 */
export type WriteResult = 'inserted' | 'conflict' | 'stale' | 'late' | 'refused' | 'gone';

interface InsertAnswer {
  current: number;
  ids: Array<Voucher['publicId']> | null;
  gone: Array<Voucher['publicId']> | null;
}

/**
 * A key of voucher_keys (public id; resident and Idempotency-Key) taken by another statement
 * that committed while this one ran: the insert's own check could not see it (claim-writer.sql.ts).
 */
function isKeyTakenMeanwhile(error: unknown): boolean {
  const constraint = (error as { constraint?: unknown }).constraint;
  return sqlStateOf(error) === '23505' && (constraint === 'vouchers_resident_idempotency_key' || constraint === 'voucher_keys_public_id_key');
}

/** The backstop of DESIGN §5: the check on rounds.issued, raised by a trigger on every insert into vouchers. */
function isQuantityBackstop(error: unknown): boolean {
  return sqlStateOf(error) === '23514' && (error as { constraint?: unknown }).constraint === 'rounds_issued_check';
}

interface Waiting {
  row: AdmittedClaim;
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

/** The grab's insert (claim-writer.sql.ts), named so that each connection plans it once. */
const INSERT_CLAIMS_STATEMENT = { name: 'insert-claims-v3', text: INSERT_CLAIMS };

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

  write(row: AdmittedClaim): Promise<WriteResult> {
    return new Promise<WriteResult>((resolve, reject) => this.commits.add({ row, resolve, reject }));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.commits.drain();
    await this.pool.end();
  }

  private async insertBatch(batch: Waiting[]): Promise<void> {
    // A claim that waited past the deadline is not sent: sent now, it could commit after the sweeper gave its reservation back.
    const oldest = Date.now() - this.timing.queueDeadlineMs;
    const fresh: Waiting[] = [];
    for (const waiting of batch) {
      if (waiting.row.claimedAt.getTime() < oldest) waiting.resolve('late');
      else fresh.push(waiting);
    }
    const groups = groupsOf(fresh, (waiting) => `${waiting.row.internalCampaignId}:${waiting.row.generation}`);
    await Promise.all([...groups.values()].map((group) => this.insertGroup(group)));
  }

  private async insertGroup(group: Waiting[], again = true): Promise<void> {
    const rows = group.map((waiting) => waiting.row);
    try {
      const answer = await this.insertRows(rows);
      const inserted = answer.current === 0 ? null : new Set(answer.ids ?? []);
      const gone = new Set(answer.gone ?? []);
      for (const waiting of group) {
        if (inserted === null) waiting.resolve('stale');
        else waiting.resolve(inserted.has(waiting.row.voucherId) ? 'inserted' : gone.has(waiting.row.voucherId) ? 'gone' : 'conflict');
      }
    } catch (error) {
      if (again && isKeyTakenMeanwhile(error)) {
        // Once more, those still within the queue deadline (a first send's budget): the insert's check now sees the key.
        const oldest = Date.now() - this.timing.queueDeadlineMs;
        const fresh = group.filter((waiting) => waiting.row.claimedAt.getTime() >= oldest);
        for (const waiting of group) if (!fresh.includes(waiting)) waiting.resolve('late');
        if (fresh.length > 0) await this.insertGroup(fresh, false);
        return;
      }
      if (isQuantityBackstop(error)) {
        this.logger.error({ campaignId: rows[0].campaignId, generation: rows[0].generation, claims: group.length }, 'a batch would oversell a round: the admission state in Redis is wrong');
        for (const waiting of group) waiting.resolve('refused');
        return;
      }
      this.logger.error({ err: error, claims: group.length }, 'claim insert failed');
      for (const waiting of group) waiting.reject(error);
    }
  }

  /** The group's insert (claim-writer.sql.ts): whether the generation was current, the public ids written, and those of no live account. */
  private async insertRows(rows: AdmittedClaim[]): Promise<InsertAnswer> {
    const { rows: [answer] } = await this.pool.query<InsertAnswer>({
      ...INSERT_CLAIMS_STATEMENT,
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
    return answer;
  }
}
