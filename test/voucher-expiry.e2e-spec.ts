import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { Queue } from 'bullmq';
import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EXPIRE_CHUNK } from '../apps/settlement/src/expiry/expiry-run.sql';
import { ExpiryOutcome, VoucherExpiry } from '../apps/settlement/src/expiry/voucher-expiry';
import { ExpiryRunSpans1796760000000 } from '../libs/database/src/migrations/1796760000000-expiry-run-spans';
import { SETTLEMENT_QUEUE, SettlementJob } from '../apps/settlement/src/jobs/settlement-jobs';
import { freePort } from '../scripts/chaos/private-redis';
import { bootApp, testConfig } from './support/apps';
import { createActiveCampaign } from './support/campaigns';
import { CheckoutRig, grabVoucher, TestTill } from './support/checkout';
import { createVerifiedResidents, TestResident } from './support/residents';
import { isolateThisFile, unusedBusinessDay } from './support/settlement';
import { endSessionsBlockedBy, waitUntilBlockedBy } from './support/database';
import { killProcess, startWorkerProcess, until } from './support/settlement-faults';
import { bearer, tokenFor } from './support/tokens';

/**
 * The voucher expiry job (DESIGN §8) against real Postgres: chunked by campaign and voucher ids (5
 * a chunk in the test configuration), resumable, exact once, and agreeing with the till at the boundary.
 * Every test first runs the job to the end, so what a run finds past its validity is the test's own.
 */
/** The index scans of a plan (EXPLAIN ANALYZE's JSON), depth first: their kind, index and rows found. */
function scansOf(node: Record<string, unknown>): Array<{ node: unknown; index: unknown; rows: unknown }> {
  const own = typeof node['Index Name'] === 'string' ? [{ node: node['Node Type'], index: node['Index Name'], rows: node['Actual Rows'] }] : [];
  const seq = node['Node Type'] === 'Seq Scan' ? [{ node: 'Seq Scan', index: null, rows: node['Actual Rows'] }] : [];
  return [...own, ...seq, ...((node.Plans as Array<Record<string, unknown>>) ?? []).flatMap(scansOf)];
}

/** The relations a plan reads (EXPLAIN's JSON), depth first. */
function relationsOf(node: Record<string, unknown>): string[] {
  const own = typeof node['Relation Name'] === 'string' ? [node['Relation Name']] : [];
  return [...own, ...((node.Plans as Array<Record<string, unknown>>) ?? []).flatMap(relationsOf)];
}

describe('voucher expiry', () => {
  const rig = new CheckoutRig();
  let db: DataSource;
  let settlement: NestFastifyApplication;
  let expiry: VoucherExpiry;
  const FACE = 1000;
  const ORDER = 5000;

  interface Held {
    resident: TestResident;
    voucherId: string;
    /** Internal id: the job's chunks are ranges of it. */
    id: number;
  }

  /** `count` vouchers of one new campaign (one round), each held by its own resident. */
  async function vouchers(count: number): Promise<{ campaignId: string; roundId: string; held: Held[] }> {
    const campaign = await createActiveCampaign(rig.issuance, { quantity: [count], faceValueFen: FACE });
    const residents = await createVerifiedResidents(db, count);
    const held: Held[] = [];
    for (const resident of residents) {
      const voucherId = await grabVoucher(rig.issuance, resident, campaign.rounds[0]);
      const [{ id }] = await db.query('SELECT id::int AS id FROM vouchers WHERE public_id = $1', [voucherId]);
      held.push({ resident, voucherId, id });
    }
    return { campaignId: campaign.id, roundId: campaign.rounds[0], held };
  }

  const pastValidity = (held: Held[]) =>
    db.query("UPDATE vouchers SET expires_at = now() - interval '1 minute' WHERE public_id = ANY($1::uuid[])", [held.map((v) => v.voucherId)]);

  const rowsOf = async (held: Held[]): Promise<Array<{ status: string; run: string | null }>> =>
    db.query(
      `SELECT v.status, x.public_id AS run FROM unnest($1::uuid[]) WITH ORDINALITY AS q(id, i)
         JOIN vouchers v ON v.public_id = q.id LEFT JOIN expiry_runs x ON x.id = v.expiry_run_id ORDER BY q.i`,
      [held.map((v) => v.voucherId)],
    );

  /** Runs the job once, the chunk that would expire `voucher` failing: the chunks before it commit, the run stays open. */
  async function runFailingAt(voucher: Held): Promise<void> {
    await db.query(`CREATE OR REPLACE FUNCTION expiry_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await db.query(`CREATE TRIGGER expiry_test_refuse BEFORE UPDATE ON vouchers FOR EACH ROW
                    WHEN (NEW.id = ${voucher.id} AND NEW.status = 'expired') EXECUTE FUNCTION expiry_test_refuse()`);
    try {
      await expect(expiry.run()).rejects.toThrow(/refused for the test/);
    } finally {
      await db.query('DROP TRIGGER expiry_test_refuse ON vouchers');
    }
  }

  /** Runs the job until its run is finished (a run stops short only when a chunk fails). */
  const runToEnd = async (): Promise<ExpiryOutcome> => {
    const outcome = await expiry.run();
    expect(outcome.finished).toBe(true);
    return outcome;
  };

  /** The run's row and its per-round totals, as Postgres holds them. */
  async function runRecord(runId: string) {
    const [run] = await db.query(
      `SELECT chunk_count AS chunks, chunks_done AS "chunksDone", expired_count AS expired, expired_fen::int AS fen, finished_at IS NOT NULL AS finished
         FROM expiry_runs WHERE public_id = $1`,
      [runId],
    );
    const totals = await db.query(
      `SELECT r.public_id AS "roundId", t.vouchers, t.face_value_fen::int AS fen
         FROM expiry_run_totals t JOIN expiry_runs x ON x.id = t.run_id JOIN rounds r ON r.id = t.round_id
        WHERE x.public_id = $1 ORDER BY r.public_id`,
      [runId],
    );
    return { ...run, totals };
  }

  /**
   * After a run stopped half-way: the chunks before the stop committed and are counted, the one
   * that stopped wrote nothing; the next job resumes that run and expires the rest exactly once.
   */
  async function expectHalfwayThenFinished(roundId: string, held: Held[]): Promise<void> {
    const [open] = await db.query(
      'SELECT public_id AS id, chunks_done AS done, chunk_count AS chunks, expired_count AS expired FROM expiry_runs WHERE finished_at IS NULL',
    );
    expect(open.done).toBeGreaterThan(0);
    expect(open.done).toBeLessThan(open.chunks);
    const expiredBefore = (await rowsOf(held)).filter((row) => row.status === 'expired').length;
    expect(expiredBefore).toBeGreaterThan(0);
    expect(expiredBefore).toBeLessThan(held.length);
    expect(open.expired).toBe(expiredBefore);

    const resumed = await runToEnd();
    expect(resumed).toMatchObject({ runId: open.id, opened: false, vouchers: held.length - expiredBefore });
    expect(await rowsOf(held)).toEqual(held.map(() => ({ status: 'expired', run: open.id })));
    expect(await runRecord(open.id)).toMatchObject({
      chunksDone: open.chunks,
      expired: held.length,
      fen: held.length * FACE,
      finished: true,
      totals: [{ roundId, vouchers: held.length, fen: held.length * FACE }],
    });
  }

  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    // A run expires every voucher due: in the suite's shared database that is every other file's too.
    dropDatabase = await isolateThisFile();
    // Small chunks, so a run has many (and a worker can be killed in the middle); this file's apps and workers read it.
    process.env.EXPIRY_CHUNK_VOUCHERS = '5';
    [{ db }, settlement] = await Promise.all([rig.start(), bootApp('settlement')]);
    expiry = new VoucherExpiry(db, testConfig());
  });

  beforeEach(async () => {
    await runToEnd();
  });

  afterAll(async () => {
    await Promise.all([rig.stop(), settlement.close()]);
    await dropDatabase();
  });

  it('expires the claimed vouchers past their validity, chunk by chunk, and nothing else; a rerun changes nothing', async () => {
    const { roundId, held } = await vouchers(12);
    const till = await rig.till();
    const [redeemed, , ...past] = held; // the second stays valid
    const code = await rig.code(past[0].resident, past[0].voucherId);
    await rig.scan(till, await rig.code(redeemed.resident, redeemed.voucherId), ORDER).expect(201);
    await pastValidity([redeemed, ...past]);

    const first = await runToEnd();
    expect(first).toMatchObject({ opened: true, vouchers: past.length, faceValueFen: past.length * FACE });
    expect(first.chunks).toBeGreaterThan(1);
    expect(await rowsOf(held)).toEqual([
      { status: 'redeemed', run: null },
      { status: 'claimed', run: null },
      ...past.map(() => ({ status: 'expired', run: first.runId })),
    ]);
    expect(await runRecord(first.runId)).toMatchObject({
      expired: past.length,
      fen: past.length * FACE,
      finished: true,
      totals: [{ roundId, vouchers: past.length, fen: past.length * FACE }],
    });
    const audited = await db.query("SELECT actor_id AS actor, action, detail FROM audit_log WHERE target_type = 'expiry_run' AND target_id = $1", [first.runId]);
    expect(audited).toEqual([{ actor: 'settlement-worker', action: 'voucher_expiry.finished', detail: { expiredCount: past.length, expiredFen: past.length * FACE } }]);

    const again = await runToEnd();
    expect(again).toMatchObject({ opened: true, vouchers: 0, faceValueFen: 0 });
    expect(again.runId).not.toBe(first.runId);
    expect((await rowsOf(held)).slice(2)).toEqual(past.map(() => ({ status: 'expired', run: first.runId })));
    expect(await runRecord(first.runId)).toMatchObject({ expired: past.length, fen: past.length * FACE });

    // The till and the resident see the same as before the job wrote it down.
    expect((await rig.scan(till, code, ORDER).expect(422)).body.code).toBe('VOUCHER_EXPIRED');
    const mine = await request(rig.issuance.getHttpServer()).get('/v1/me/vouchers?status=expired').set(bearer(past[0].resident.token)).expect(200);
    expect(mine.body.items.map((v: { id: string; status: string }) => [v.id, v.status])).toEqual([[past[0].voucherId, 'expired']]);
  });

  it('a run that fails half-way is resumed by the next job, which expires the rest exactly once', async () => {
    const { roundId, held } = await vouchers(11);
    await pastValidity(held);
    // The last voucher's chunk fails (as a chunk whose worker died would not commit); the chunks before it commit.
    await runFailingAt(held[held.length - 1]);
    await expectHalfwayThenFinished(roundId, held);
  });

  it('a run whose Postgres session is ended mid-chunk (a restart, a cut connection) is resumed by the next job, exactly once', async () => {
    const { roundId, held } = await vouchers(11);
    await pastValidity(held);
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      // The last voucher's chunk waits on this row lock; the chunks before it commit. Then the chunk's session is ended.
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM vouchers WHERE id = $1 FOR UPDATE', [held[held.length - 1].id]);
      const running = expiry.run();
      await waitUntilBlockedBy(db, holder);
      expect(await endSessionsBlockedBy(db, holder)).toEqual([true]);
      await expect(running).rejects.toThrow();
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    await expectHalfwayThenFinished(roundId, held);
  });

  it("plans each chunk within one campaign's ids, so that a chunk reads the campaign's partition only; a finished run drops its plan", async () => {
    // Two campaigns grabbed at the same time: their ids interleave.
    const campaigns = await Promise.all([7, 3].map((count) => createActiveCampaign(rig.issuance, { quantity: [count], faceValueFen: FACE })));
    const residents = await createVerifiedResidents(db, 10);
    const held: Array<Held & { campaign: number }> = [];
    for (const [n, resident] of residents.entries()) {
      const campaign = n % 2 === 1 && n < 7 ? 1 : 0; // A B A B A B A A A A: 7 and 3
      const voucherId = await grabVoucher(rig.issuance, resident, campaigns[campaign].rounds[0]);
      const [{ id }] = await db.query('SELECT id::int AS id FROM vouchers WHERE public_id = $1', [voucherId]);
      held.push({ resident, voucherId, id, campaign });
    }
    await pastValidity(held);
    // The run stops at the last voucher (as a chunk whose worker died would), its plan left to read.
    await runFailingAt(held[held.length - 1]);
    const [{ runId, publicId }] = await db.query('SELECT id AS "runId", public_id AS "publicId" FROM expiry_runs WHERE finished_at IS NULL');
    const spans: Array<{ chunkNo: number; campaignId: string; fromId: string; toId: string }> = await db.query(
      `SELECT chunk_no AS "chunkNo", campaign_id AS "campaignId", from_id AS "fromId", to_id AS "toId" FROM expiry_run_spans WHERE run_id = $1 ORDER BY chunk_no`,
      [runId],
    );
    for (const [index, count] of [7, 3].entries()) {
      const own = held.filter((voucher) => voucher.campaign === index);
      expect(own).toHaveLength(count);
      const [{ campaignId }] = await db.query('SELECT campaign_id AS "campaignId" FROM vouchers WHERE id = $1', [own[0].id]);
      // Every voucher in exactly one chunk, and that chunk its campaign's.
      for (const voucher of own) {
        const covering = spans.filter((span) => Number(span.fromId) <= voucher.id && voucher.id < Number(span.toId));
        expect(covering.filter((span) => span.campaignId === campaignId)).toHaveLength(1);
      }
      // The chunk's statement, planned with its parameters as the job sends them: one partition of vouchers.
      const chunk = spans.find((span) => span.campaignId === campaignId)!;
      const [{ 'QUERY PLAN': plan }] = await db.query(`EXPLAIN (FORMAT JSON) ${EXPIRE_CHUNK}`, [runId, chunk.chunkNo, chunk.fromId, chunk.toId, campaignId]);
      expect(relationsOf(plan[0].Plan).filter((name) => name.startsWith('vouchers_'))).toEqual([`vouchers_c${campaignId}`]);
    }

    const resumed = await runToEnd();
    expect(resumed).toMatchObject({ runId: publicId, opened: false });
    expect(await rowsOf(held)).toEqual(held.map(() => ({ status: 'expired', run: publicId })));
    expect(await runRecord(publicId)).toMatchObject({ expired: 10, fen: 10 * FACE, chunksDone: spans.length, chunks: spans.length });
    expect(await db.query('SELECT count(*)::int AS n FROM expiry_run_spans WHERE run_id = $1', [runId])).toEqual([{ n: 0 }]);
  });

  it('plans only what is due: a campaign with nothing due gets no chunk, and its partition is read through the due index alone', async () => {
    const quiet = await vouchers(4); // every one still valid
    const mixed = await vouchers(8);
    const due = mixed.held.slice(2, 7); // the first two and the last stay valid
    await pastValidity(due);
    const [quietId, mixedId] = await Promise.all(
      [quiet, mixed].map(async ({ held }) => (await db.query('SELECT campaign_id AS id FROM vouchers WHERE id = $1', [held[0].id]))[0].id as string),
    );
    // The run stops at the last due voucher, its plan left to read.
    await runFailingAt(due[due.length - 1]);
    const [{ runId, publicId }] = await db.query('SELECT id AS "runId", public_id AS "publicId" FROM expiry_runs WHERE finished_at IS NULL');
    const spans: Array<{ campaignId: string; fromId: string; toId: string }> = await db.query(
      `SELECT campaign_id AS "campaignId", from_id AS "fromId", to_id AS "toId" FROM expiry_run_spans WHERE run_id = $1 ORDER BY chunk_no`,
      [runId],
    );
    expect(spans.filter((span) => span.campaignId === quietId)).toEqual([]);
    const mixedSpans = spans.filter((span) => span.campaignId === mixedId);
    // From the first due voucher to the last: the valid ones around them are not in the plan.
    expect(Math.min(...mixedSpans.map((span) => Number(span.fromId)))).toBe(due[0].id);
    expect(Math.max(...mixedSpans.map((span) => Number(span.toId)))).toBe(due[due.length - 1].id + 1);

    // How the plan reads a campaign (expiry_due_span, inlined into the query that calls it): with the
    // sequential scan a partition this small would get ruled out, the due index answers alone.
    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL enable_seqscan = off');
      const [{ 'QUERY PLAN': plan }] = await runner.query('EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM expiry_due_span($1, now())', [quietId]);
      const scans = scansOf(plan[0].Plan);
      expect(scans).toEqual([{ node: expect.stringMatching(/^(Index Scan|Index Only Scan|Bitmap Index Scan)$/), index: `vouchers_expiry_due_idx_c${quietId}`, rows: 0 }]);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }

    const resumed = await runToEnd();
    expect(resumed).toMatchObject({ runId: publicId, opened: false });
    expect(await rowsOf(quiet.held)).toEqual(quiet.held.map(() => ({ status: 'claimed', run: null })));
    expect(await rowsOf(mixed.held)).toEqual(mixed.held.map((v) => (due.includes(v) ? { status: 'expired', run: publicId } : { status: 'claimed', run: null })));
  });

  it('a run opened by the job before the chunks by campaign is planned when resumed, its chunks of ids retired, and finished exactly once', async () => {
    const { roundId, held } = await vouchers(6);
    await pastValidity(held);
    const migration = new ExpiryRunSpans1796760000000();
    const runner = db.createQueryRunner();
    let id: string;
    try {
      await migration.down(runner);
      // The old job's run, half done: its chunk 0 of ids expired the first voucher; chunks 1-3 left.
      [{ id }] = await db.query(
        `INSERT INTO expiry_runs (public_id, cutoff, chunk_count, chunks_done, expired_count, expired_fen) VALUES ($1, now(), 4, 1, 1, $2) RETURNING id`,
        [newPublicId(), FACE],
      );
      await db.query('INSERT INTO expiry_run_chunks (run_id, chunk_no, expired_count) VALUES ($1, 0, 1)', [id]);
      await db.query("UPDATE vouchers SET status = 'expired', expiry_run_id = $1 WHERE id = $2", [id, held[0].id]);
      await db.query('INSERT INTO expiry_run_totals (run_id, round_id, campaign_id, voucher_type_id, vouchers, face_value_fen) SELECT $1, r.id, r.campaign_id, r.voucher_type_id, 1, $2 FROM rounds r WHERE r.public_id = $3', [
        id,
        FACE,
        roundId,
      ]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const [open] = await db.query('SELECT public_id AS id, planned_at AS planned FROM expiry_runs WHERE finished_at IS NULL');
    expect(open.planned).toBeNull();

    const resumed = await runToEnd();
    expect(resumed).toMatchObject({ runId: open.id, opened: false, vouchers: held.length - 1, faceValueFen: (held.length - 1) * FACE });
    expect(await rowsOf(held)).toEqual(held.map(() => ({ status: 'expired', run: open.id })));
    const record = await runRecord(open.id);
    expect(record).toMatchObject({ expired: held.length, fen: held.length * FACE, finished: true, totals: [{ roundId, vouchers: held.length, fen: held.length * FACE }] });
    // Its chunk 0 done before; 1-3 retired (nothing expired in them); the plan numbered from 4.
    expect(record.chunksDone).toBe(record.chunks);
    const chunks: Array<{ chunkNo: number; expired: number }> = await db.query(
      'SELECT chunk_no AS "chunkNo", expired_count AS expired FROM expiry_run_chunks WHERE run_id = $1 ORDER BY chunk_no',
      [id],
    );
    expect(chunks.map((chunk) => chunk.chunkNo)).toEqual(Array.from({ length: record.chunks + 3 }, (_, n) => n));
    expect(chunks.slice(0, 4).map((chunk) => chunk.expired)).toEqual([1, 0, 0, 0]);
  });

  it('going back before the chunks by campaign closes an open run with what it did, audited', async () => {
    const [{ id, publicId }] = await db.query(
      `INSERT INTO expiry_runs (public_id, cutoff, chunk_count, chunks_done, expired_count, expired_fen, planned_at) VALUES ($1, now(), 5, 2, 3, $2, now()) RETURNING id, public_id AS "publicId"`,
      [newPublicId(), 3 * FACE],
    );
    const migration = new ExpiryRunSpans1796760000000();
    const runner = db.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await db.query('SELECT chunk_count AS chunks, chunks_done AS done, finished_at IS NOT NULL AS finished FROM expiry_runs WHERE id = $1', [id])).toEqual([
      { chunks: 2, done: 2, finished: true },
    ]);
    const audited = await db.query("SELECT actor_id AS actor, action, detail FROM audit_log WHERE target_type = 'expiry_run' AND target_id = $1", [publicId]);
    expect(audited).toEqual([{ actor: 'migration', action: 'voucher_expiry.closed_by_migration', detail: { expiredCount: 3, expiredFen: 3 * FACE } }]);
  });

  describe('a redemption at the moment of expiry: exactly one wins', () => {
    let holder: Client;
    let second: Client;

    beforeEach(async () => {
      holder = new Client({ connectionString: process.env.DATABASE_URL });
      second = new Client({ connectionString: process.env.DATABASE_URL });
      await Promise.all([holder.connect(), second.connect()]);
    });

    afterEach(async () => {
      await Promise.all([holder.end(), second.end()]);
    });

    /** A voucher whose validity ends in 1.5 s, with a checkout code issued while it is still valid. */
    async function expiringSoon(): Promise<{ voucher: Held; code: string; till: TestTill }> {
      const { held } = await vouchers(1);
      const code = await rig.code(held[0].resident, held[0].voucherId);
      await db.query("UPDATE vouchers SET expires_at = now() + interval '1.5 seconds' WHERE public_id = $1", [held[0].voucherId]);
      return { voucher: held[0], code, till: await rig.till() };
    }

    const validityOver = (voucher: Held) =>
      until('the validity to end', async () => {
        const [{ over }] = await db.query('SELECT now() > expires_at AS over FROM vouchers WHERE id = $1', [voucher.id]);
        return over ? true : undefined;
      }, 10_000, 50);

    /** Backends of this database waiting on a lock (other than one `except` holds). */
    const waiting = async (except = 0) =>
      (
        await db.query(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0 AND NOT $1 = ANY(pg_blocking_pids(pid))',
          [except],
        )
      )[0].n as number;

    it('the till came first: the job, finding the voucher redeemed once the till commits, leaves it', async () => {
      const { voucher, code, till } = await expiringSoon();
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM vouchers WHERE id = $1 FOR UPDATE', [voucher.id]);
      // The till's statement starts while the voucher is valid and queues for its row first.
      const scanning = rig.scan(till, code, ORDER).then((answer) => answer);
      await until('the till to wait for the voucher', async () => ((await waiting()) >= 1 ? true : undefined), 10_000);
      await validityOver(voucher);
      const expiring = expiry.run();
      await until('the job to wait behind the till', async () => ((await waiting()) >= 2 ? true : undefined), 10_000);
      await holder.query('ROLLBACK');

      expect((await scanning).status).toBe(201);
      const outcome = await expiring;
      expect(outcome.vouchers).toBe(0);
      expect(await rowsOf([voucher])).toEqual([{ status: 'redeemed', run: null }]);
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM redemptions WHERE voucher_id = $1', [voucher.id]);
      expect(n).toBe(1);
    });

    it('the job came first: the till, whose transaction began while the voucher was valid, is refused', async () => {
      const { voucher, code, till } = await expiringSoon();
      // Holds the till before it reads the voucher (its statement writes the ledger, locked here).
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE ledger_entries IN EXCLUSIVE MODE');
      const scanning = rig.scan(till, code, ORDER).then((answer) => answer);
      await until('the till to wait', async () => ((await waiting()) >= 1 ? true : undefined), 10_000);
      await validityOver(voucher);
      const outcome = await runToEnd();
      await holder.query('ROLLBACK');

      const answer = await scanning;
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 422, code: 'VOUCHER_EXPIRED' });
      expect(outcome.vouchers).toBe(1);
      expect(await rowsOf([voucher])).toEqual([{ status: 'expired', run: outcome.runId }]);
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM redemptions WHERE voucher_id = $1', [voucher.id]);
      expect(n).toBe(0);
    });

    it('the job took the row while the till was reading it valid: the till waits for it, then answers VOUCHER_EXPIRED', async () => {
      const { voucher, code, till } = await expiringSoon();
      // The till's transaction begins while the voucher is valid, and waits here before its statement reads anything.
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE ledger_entries IN EXCLUSIVE MODE');
      const scanning = rig.scan(till, code, ORDER).then((answer) => answer);
      await until('the till to wait', async () => ((await waiting()) >= 1 ? true : undefined), 10_000);
      await validityOver(voucher);
      // The job queues for the voucher's row (held here), ahead of the till.
      await second.query('BEGIN');
      await second.query('SELECT 1 FROM vouchers WHERE id = $1 FOR UPDATE', [voucher.id]);
      const expiring = expiry.run();
      await until('the job to wait for the voucher', async () => ((await waiting()) >= 2 ? true : undefined), 10_000);
      // The till reads the voucher claimed and valid (its clock began before the validity ended), then queues behind the job.
      const holderPid = (holder as Client & { processID: number }).processID;
      await holder.query('ROLLBACK');
      await until('the till to wait behind the job', async () => ((await waiting(holderPid)) >= 2 ? true : undefined), 10_000);
      await second.query('ROLLBACK');

      const outcome = await expiring;
      const answer = await scanning;
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 422, code: 'VOUCHER_EXPIRED' });
      expect(outcome.vouchers).toBe(1);
      expect(await rowsOf([voucher])).toEqual([{ status: 'expired', run: outcome.runId }]);
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM redemptions WHERE voucher_id = $1', [voucher.id]);
      expect(n).toBe(0);
    });
  });

  it('a full refund of an order whose voucher expired meanwhile leaves it expired, and the next run counts it once', async () => {
    const { roundId, held } = await vouchers(1);
    const [voucher] = held;
    const till = await rig.till();
    const scanned = await rig.scan(till, await rig.code(voucher.resident, voucher.voucherId), ORDER).expect(201);
    await pastValidity(held);
    // Redeemed: the job leaves it.
    expect((await runToEnd()).vouchers).toBe(0);

    await rig.refund(till, scanned.body.redemptionId, ORDER).expect(201);
    expect(await rowsOf(held)).toEqual([{ status: 'expired', run: null }]);
    const next = await runToEnd();
    expect(next).toMatchObject({ vouchers: 1, faceValueFen: FACE });
    expect(await rowsOf(held)).toEqual([{ status: 'expired', run: next.runId }]);
    expect((await runRecord(next.runId)).totals).toEqual([{ roundId, vouchers: 1, fen: FACE }]);
    expect((await runToEnd()).vouchers).toBe(0);
  });

  it("shows officials and auditors each run's progress and counts, by campaign, voucher type and round", async () => {
    const { campaignId, roundId, held } = await vouchers(3);
    await pastValidity(held);
    const outcome = await runToEnd();
    const [{ typeId }] = await db.query('SELECT vt.public_id AS "typeId" FROM rounds r JOIN voucher_types vt ON vt.id = r.voucher_type_id WHERE r.public_id = $1', [
      roundId,
    ]);
    for (const role of [Role.FinanceOfficial, Role.CommerceOfficial, Role.Auditor]) {
      const page = await request(settlement.getHttpServer()).get('/v1/expiry/runs?limit=1').set(bearer(tokenFor({ role }))).expect(200);
      expect(page.body.items).toEqual([
        {
          id: outcome.runId,
          status: 'finished',
          cutoff: expect.any(String),
          startedAt: expect.any(String),
          finishedAt: expect.any(String),
          chunks: expect.any(Number),
          chunksDone: page.body.items[0].chunks,
          expiredCount: 3,
          expiredFen: 3 * FACE,
          byRound: [{ campaignId, voucherTypeId: typeId, roundId, vouchers: 3, faceValueFen: 3 * FACE }],
        },
      ]);
      const older = await request(settlement.getHttpServer())
        .get(`/v1/expiry/runs?limit=1&cursor=${page.body.nextCursor}`)
        .set(bearer(tokenFor({ role })))
        .expect(200);
      expect(older.body.items[0].id).not.toBe(outcome.runId);
    }
    // A district official sees the campaigns of their district only, and a run's counts over them.
    await db.query(`UPDATE campaigns SET districts = '{haishu}' WHERE public_id = $1`, [campaignId]);
    const runOf = async (district: string) =>
      (await request(settlement.getHttpServer()).get('/v1/expiry/runs?limit=1').set(bearer(tokenFor({ role: Role.CommerceOfficial, district }))).expect(200)).body.items[0];
    expect(await runOf('haishu')).toMatchObject({ id: outcome.runId, expiredCount: 3, expiredFen: 3 * FACE, byRound: [{ campaignId, roundId, vouchers: 3 }] });
    expect(await runOf('yinzhou')).toMatchObject({ id: outcome.runId, expiredCount: 0, expiredFen: 0, byRound: [] });
    const [resident] = await createVerifiedResidents(db, 1);
    await request(settlement.getHttpServer()).get('/v1/expiry/runs').set(bearer(resident.token)).expect(403);
  });

  it('reconciliation counts the vouchers the job expired, and their face value, on the day their validity ended', async () => {
    const { campaignId, held } = await vouchers(4);
    const day = await unusedBusinessDay(db);
    await db.query(`UPDATE vouchers SET expires_at = ($2::date + time '21:00') AT TIME ZONE 'Asia/Shanghai' WHERE public_id = ANY($1::uuid[])`, [
      held.map((v) => v.voucherId),
      day,
    ]);
    const report = async () =>
      (await request(settlement.getHttpServer()).get(`/v1/settlement/reconciliation?from=${day}&to=${day}`).set(bearer(tokenFor({ role: Role.Auditor }))).expect(200))
        .body.vouchers;
    await runToEnd();
    const vouchersOfDay = await report();
    expect(vouchersOfDay.expired).toEqual({ count: 4, faceValueFen: 4 * FACE });
    expect(vouchersOfDay.byCampaign).toEqual([expect.objectContaining({ campaignId, expired: { count: 4, faceValueFen: 4 * FACE } })]);
  });

  it("runs as the worker's job: a worker killed half-way leaves the run to another, which expires the rest exactly once and counts it in /metrics", async () => {
    const { roundId, held } = await vouchers(11);
    await pastValidity(held);
    const workers: ChildProcess[] = [];
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      // The last voucher's chunk waits on this row lock; the chunks before it commit.
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM vouchers WHERE id = $1 FOR UPDATE', [held[held.length - 1].id]);
      const doomed = startWorkerProcess();
      workers.push(doomed);
      const queue = settlement.get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
      await queue.add(SettlementJob.ExpireVouchers, {});
      await waitUntilBlockedBy(db, holder);
      await killProcess(doomed);
      await holder.query('ROLLBACK');
      const [open] = await db.query('SELECT public_id AS id, expired_count AS expired FROM expiry_runs WHERE finished_at IS NULL');
      expect(open.expired).toBeGreaterThan(0);
      expect(open.expired).toBeLessThan(held.length);

      // Another worker's stalled check takes the dead worker's job back, and the job resumes the run.
      const port = await freePort();
      workers.push(startWorkerProcess({ SETTLEMENT_WORKER_PORT: String(port) }));
      await until('the run to finish', async () => {
        const [run] = await db.query('SELECT finished_at FROM expiry_runs WHERE public_id = $1', [open.id]);
        return run.finished_at ? true : undefined;
      }, 60_000, 100);
      expect(await rowsOf(held)).toEqual(held.map(() => ({ status: 'expired', run: open.id })));
      expect(await runRecord(open.id)).toMatchObject({ expired: held.length, fen: held.length * FACE, totals: [{ roundId, vouchers: held.length, fen: held.length * FACE }] });

      const metrics = await until('the worker to answer /metrics', () => fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => undefined), 30_000, 100);
      const sample = (line: string) => Number(metrics.split('\n').find((l) => l.startsWith(line))?.split(' ').pop());
      const resumedVouchers = held.length - open.expired;
      expect(sample('voucher_expiry_vouchers_total{')).toBe(resumedVouchers);
      expect(sample('voucher_expiry_face_value_fen_total{')).toBe(resumedVouchers * FACE);
      // The latest run as Postgres has it (this one, unless the hourly schedule started another meanwhile).
      const [latest] = await db.query('SELECT expired_count AS expired, (finished_at IS NOT NULL)::int AS finished FROM expiry_runs ORDER BY id DESC LIMIT 1');
      expect([sample('voucher_expiry_last_run{figure="expired"'), sample('voucher_expiry_last_run{figure="finished"')]).toEqual([latest.expired, latest.finished]);
      expect(latest.expired === held.length || latest.expired === 0).toBe(true);
    } finally {
      await Promise.all(workers.map(killProcess));
      await holder.end();
    }
  }, 120_000);
});
