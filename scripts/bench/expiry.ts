/**
 * `npm run bench:expiry`: what an hourly expiry run reads, before and after the due index
 * (migration ExpiryDueIndex1796790000000, docs/partitions.md "Expiry"), on the same rows.
 *
 * Seeds, on the schema before that migration, CAMPAIGNS campaigns of VOUCHERS vouchers each as a
 * year of the program leaves them at some hour: most campaigns over (their vouchers redeemed, or
 * expired by an earlier run), LIVE campaigns whose vouchers are still valid, and one whose
 * validity has just ended for DUE_SHARE of its vouchers. Copies the database (CREATE DATABASE …
 * TEMPLATE), migrates the copy forward (timing the index build: writes to vouchers wait for it),
 * then runs on each, alternated, REPEATS times, in a transaction rolled back:
 *   plan  a run's plan (plan_expiry_run): ms, and the shared buffers it touched;
 *   run   the plan, then each chunk's UPDATE (EXPIRE_CHUNK's, copied: scripts do not import apps):
 *         ms, and the shared buffers the whole run touched (what it reads, whatever the machine);
 *   insert  what the index costs the grab: µs a voucher of a claim writer's batches (measureInsert).
 * Prints the medians and the ratios. Invariants: `missed` (due vouchers a run left claimed) and
 * `overExpired` (vouchers a run expired that were not due), on either side.
 * `--short`: 2,000 vouchers a campaign.
 */
import 'reflect-metadata';
import { newPublicId } from '@vouchers/common';
import { DataSource, QueryRunner } from 'typeorm';
import { BeforeAndAfter } from './before-after';
import { benchSetting, log, openBenchServices, printResult, runBench, shortRun } from './bench-kit';
import { measureYardsticks } from './yardsticks';

const CAMPAIGNS = benchSetting('BENCH_CAMPAIGNS', 20, 20);
const LIVE = 3;
const VOUCHERS = benchSetting('BENCH_VOUCHERS_A_CAMPAIGN', 50_000, 2_000);
const DUE_SHARE = 0.05;
const REPEATS = benchSetting('BENCH_REPEATS', 7, 3);
/** The chunk of config/default.yaml (expiryChunkVouchers). */
const CHUNK = 100_000;
const DUE_INDEX = 'ExpiryDueIndex1796790000000';
const INSERT_ROWS = 200;
const INSERT_BATCHES = 25;

/** EXPIRE_CHUNK's UPDATE (apps/settlement/src/expiry/expiry-run.sql.ts) without the totals it writes beside. */
const EXPIRE_CHUNK_UPDATE = `
  UPDATE vouchers v SET status = 'expired', expiry_run_id = $1::bigint
   WHERE v.campaign_id = $4::bigint AND v.id >= $2::bigint AND v.id < $3::bigint
     AND v.expires_at <= (SELECT x.cutoff FROM expiry_runs x WHERE x.id = $1::bigint) AND v.expiry_run_id IS NULL
     AND (v.status = 'claimed' OR v.status = 'expired')`;

type Side = 'before' | 'after';

/** What a campaign's vouchers are at the hour measured. */
type Kind = 'over' | 'live' | 'due';

/**
 * One campaign and its VOUCHERS vouchers, written set-based (residents × rounds keeps the
 * per-person keys unique without a resident per voucher; vouchers keep theirs without foreign keys).
 */
async function seedCampaign(db: DataSource, kind: Kind, pastRunId: string): Promise<void> {
  const [{ id: campaignId }] = await db.query(
    `INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
     VALUES ($1, $2, '{dining}', '{}', $3::bigint * 1000, 5000, 7, 10000, $4) RETURNING id`,
    [newPublicId(), `expiry bench ${kind} ${newPublicId()}`, VOUCHERS, kind === 'over' ? 'ended' : 'active'],
  );
  await db.query('SELECT ensure_campaign_partition($1)', [campaignId]);
  const [{ id: typeId }] = await db.query(
    `INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen) VALUES ($1, $2, '券', 1000, 4000) RETURNING id`,
    [newPublicId(), campaignId],
  );
  const perRound = 1_000;
  const [{ first }] = await db.query(
    `WITH made AS (INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, quantity)
                   SELECT gen_random_uuid(), $1, $2, now() - interval '40 days', $3 FROM generate_series(1, $4::int) RETURNING id)
     SELECT min(id) AS first FROM made`,
    [campaignId, typeId, perRound, Math.ceil(VOUCHERS / perRound)],
  );
  // Voucher n: resident n % perRound of round first + n / perRound. Over: 60% redeemed, the rest
  // expired by an earlier run. Live: valid for 30 days more, 30% redeemed. Due: DUE_SHARE past
  // their validity half an hour ago and still claimed, the rest as live.
  await db.query(
    `INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, status,
                           claimed_at, expires_at, redeemed_at, expiry_run_id)
     SELECT gen_random_uuid(), $1, $2::bigint + n / $3, 1 + n % $3, 1 + n / $3, 1000, 4000, s.status,
            now() - interval '30 days', s.expires_at, CASE WHEN s.status = 'redeemed' THEN now() - interval '20 days' END,
            CASE WHEN s.status = 'expired' THEN $6::bigint END
       FROM generate_series(0, $4::int - 1) AS n
      CROSS JOIN LATERAL (SELECT
              CASE WHEN $5 = 'over' THEN CASE WHEN n % 10 < 6 THEN 'redeemed' ELSE 'expired' END
                   WHEN $5 = 'due' AND n < $7::int THEN 'claimed'
                   ELSE CASE WHEN n % 10 < 3 THEN 'redeemed' ELSE 'claimed' END END AS status,
              CASE WHEN $5 = 'over' THEN now() - interval '10 days'
                   WHEN $5 = 'due' AND n < $7::int THEN now() - interval '30 minutes'
                   ELSE now() + interval '30 days' END AS expires_at) s`,
    [campaignId, first, perRound, VOUCHERS, kind, pastRunId, Math.round(VOUCHERS * DUE_SHARE)],
  );
}

interface Measured {
  planMs: number;
  planBuffers: number;
  runMs: number;
  /** Shared buffers the plan and every chunk touched: what the run read, whatever the machine. */
  runBuffers: number;
  chunks: number;
  expired: number;
}

/** `work` in a transaction rolled back afterwards: nothing it writes stays. */
async function rolledBack<T>(db: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  try {
    await runner.startTransaction();
    return await work(runner);
  } finally {
    await runner.rollbackTransaction().catch(() => undefined);
    await runner.release();
  }
}

/** One run's plan and chunks, rolled back. */
const measureRun = (db: DataSource): Promise<Measured> =>
  rolledBack(db, async (runner) => {
    const [{ id: runId }] = await runner.query(`INSERT INTO expiry_runs (public_id, cutoff, chunk_count) VALUES ($1, now(), 0) RETURNING id`, [newPublicId()]);
    const started = process.hrtime.bigint();
    const [{ 'QUERY PLAN': explained }] = await runner.query('EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT plan_expiry_run($1, $2, 0)', [runId, CHUNK]);
    const planMs = Number(process.hrtime.bigint() - started) / 1e6;
    const spans: Array<{ from: string; to: string; campaign: string }> = await runner.query(
      'SELECT from_id AS "from", to_id AS "to", campaign_id AS campaign FROM expiry_run_spans WHERE run_id = $1 ORDER BY chunk_no',
      [runId],
    );
    const planBuffers = buffersOf(explained[0].Plan);
    let expired = 0;
    let runBuffers = planBuffers;
    for (const span of spans) {
      const [{ 'QUERY PLAN': chunk }] = await runner.query(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ${EXPIRE_CHUNK_UPDATE}`, [runId, span.from, span.to, span.campaign]);
      runBuffers += buffersOf(chunk[0].Plan);
      // The rows the UPDATE wrote: those its scan (not the cutoff's InitPlan) handed up.
      expired += (chunk[0].Plan.Plans as Array<Record<string, unknown>>)
        .filter((node) => node['Parent Relationship'] !== 'InitPlan')
        .reduce((sum, node) => sum + Number(node['Actual Rows']), 0);
    }
    const runMs = Number(process.hrtime.bigint() - started) / 1e6;
    return { planMs, planBuffers, runMs, runBuffers, chunks: spans.length, expired };
  });

/**
 * What the index costs the grab: µs a voucher of INSERT_BATCHES inserts of INSERT_ROWS vouchers
 * (the claim writer writes a batch in one statement) into the live campaign, rolled back.
 */
const measureInsert = (db: DataSource): Promise<number> =>
  rolledBack(db, async (runner) => {
    // A round of its own, with room for them, in a live campaign.
    const [round] = await runner.query(
      `INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, quantity)
       SELECT gen_random_uuid(), t.campaign_id, t.id, now(), $1::int
         FROM voucher_types t JOIN campaigns c ON c.id = t.campaign_id WHERE c.status = 'active' ORDER BY t.id DESC LIMIT 1
       RETURNING id, campaign_id AS campaign`,
      [INSERT_BATCHES * INSERT_ROWS],
    );
    const started = process.hrtime.bigint();
    for (let b = 0; b < INSERT_BATCHES; b += 1) {
      await runner.query(
        `INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, claimed_at, expires_at)
         SELECT gen_random_uuid(), $1, $2, 1000000 + $3::int * $4::int + n, 1, 1000, 4000, now(), now() + interval '30 days'
           FROM generate_series(1, $4::int) AS n`,
        [round.campaign, round.id, b, INSERT_ROWS],
      );
    }
    return Number(process.hrtime.bigint() - started) / 1e3 / (INSERT_BATCHES * INSERT_ROWS);
  });

const buffersOf = (node: Record<string, number>) => node['Shared Hit Blocks'] + node['Shared Read Blocks'];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round2 = (value: number) => Number(value.toFixed(2));

async function main(): Promise<void> {
  const bench = await openBenchServices();
  const schemas = await BeforeAndAfter.start(bench, DUE_INDEX);
  try {
    const seeding = await schemas.seeding();
    const yardsticks = await measureYardsticks(bench, ['pgScanRowsPerSec']);
    log(`seeding ${CAMPAIGNS} campaigns of ${VOUCHERS} vouchers (${LIVE} live, 1 due, the rest over) on the schema before ${DUE_INDEX}`);
    const seedStarted = Date.now();
    const [{ id: pastRunId }] = await seeding.query(
      `INSERT INTO expiry_runs (public_id, cutoff, chunk_count, planned_at, finished_at) VALUES ($1, now() - interval '9 days', 0, now(), now()) RETURNING id`,
      [newPublicId()],
    );
    for (let c = 0; c < CAMPAIGNS; c += 1) await seedCampaign(seeding, c === 0 ? 'due' : c <= LIVE ? 'live' : 'over', pastRunId);
    await seeding.query('VACUUM ANALYZE');
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const [{ due, vouchers }] = await seeding.query(
      `SELECT count(*) FILTER (WHERE status = 'claimed' AND expires_at <= now())::int AS due, count(*)::int AS vouchers FROM vouchers`,
    );

    const { before, after, migrateSeconds: indexBuildSeconds } = await schemas.migrateCopy();
    await after.query('ANALYZE vouchers');
    const sides = { before, after };
    // REPEATS of each on both sides, alternated, after one unmeasured run each.
    const alternated = async <T>(measure: (db: DataSource) => Promise<T>) => {
      const runs: Record<Side, T[]> = { before: [], after: [] };
      await measure(before);
      await measure(after);
      for (let i = 0; i < REPEATS; i += 1) {
        const order = i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
        for (const side of order) runs[side].push(await measure(sides[side]));
      }
      return runs;
    };
    const measured = await alternated(measureRun);
    const inserts = await alternated(measureInsert);
    const summary = (side: Side) => {
      const runs = measured[side];
      return {
        planMs: round2(median(runs.map((r) => r.planMs))),
        planBuffers: median(runs.map((r) => r.planBuffers)),
        runMs: round2(median(runs.map((r) => r.runMs))),
        runBuffers: median(runs.map((r) => r.runBuffers)),
        chunks: runs[0].chunks,
        insertUsPerVoucher: round2(median(inserts[side])),
      };
    };
    const figures = { before: summary('before'), after: summary('after') };
    for (const side of ['before', 'after'] as const) log(`${side}: ${JSON.stringify(figures[side])}`);
    const expiredCounts = [...measured.before, ...measured.after].map((r) => r.expired);
    printResult(
      {
        campaigns: CAMPAIGNS,
        vouchers,
        due,
        missed: Math.max(0, ...expiredCounts.map((n) => due - n)),
        overExpired: Math.max(0, ...expiredCounts.map((n) => n - due)),
        ...figures,
        runRatio: round2(figures.before.runMs / figures.after.runMs),
        runBufferRatio: round2(figures.before.runBuffers / Math.max(1, figures.after.runBuffers)),
        indexBuildSeconds,
        seedSeconds,
        ...(shortRun ? { short: true } : {}),
        yardsticks,
      },
      ['missed', 'overExpired'],
    );
  } finally {
    await schemas.close();
  }
}

runBench(main);
