/**
 * `npm run bench:figures`: the programme's figures (issue 18) at a city's size, read while the
 * tills keep redeeming. 5,000,000 vouchers and 2,000,000 redemptions (with refunds) over 200,000
 * merchants in every district, seeded once into a template database through the figures'
 * triggers (figures-seed.ts; later runs copy it, and the seed's seconds print apart). Then, with
 * the settlement and redemption apps running and the real till (POST /v1/redemptions over HTTP)
 * paced at BENCH_RATE redemptions a second:
 *
 * - redeemSlowdown: the till's p99 with the figures kept ÷ its p99 with the figures' triggers
 *   disabled (ALTER TABLE … DISABLE TRIGGER on this run's copy), over alternated pairs of equal
 *   phases, the median of the pairs' ratios;
 * - figuresP95Ms: p95 of GET /v1/figures (today, and the last full month seeded) as an auditor;
 * - lagSeconds: the longest wait, from a 201 of the till to a read of today's figures counting
 *   every redemption acknowledged by then (an upper bound: the commit came before the 201);
 * - leagueXlsxSeconds: GET /v1/figures/league of that month as XLSX;
 * - recountMismatches: the recount (apps/settlement figures/recount.check.ts), run as its job
 *   by the settlement worker process, over the seeded days. Today is left out: its redemptions made while the triggers were off are, by
 *   the design of the comparison, not in the totals.
 *
 * One JSON line last, with the run's yardsticks; `--short` runs a small programme in a minute.
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { businessDayOf, newPublicId, previousBusinessDay } from '@vouchers/common';
import { createDataSource, dataSourceOptions, runMigrationsLocked } from '@vouchers/database';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConnectionOptions, Queue, QueueEvents } from 'bullmq';
import { connectRedis, isClusterUrl } from '@vouchers/redis';
import { appEnv, benchSetting, load, log, openBenchServices, printResult, quantileMs, runBench, shortRun, spawnProcess, startProcess, stopProcess } from './bench-kit';
import { FiguresSeedSpec, seedFigures } from './figures-seed';
import { TillLoad, tillTally, TillTally } from './figures-till';
import { RedisUnderTest, startClusterRedis } from './redis-under-test';
import { copyTemplate, ensureTemplate } from './template-database';
import { measureYardsticks, relativeRate, relativeTime } from './yardsticks';

const SEED: FiguresSeedSpec = {
  vouchers: benchSetting('BENCH_VOUCHERS', 5_000_000, 50_000),
  redemptions: benchSetting('BENCH_REDEMPTIONS', 2_000_000, 20_000),
  merchants: benchSetting('BENCH_MERCHANTS', 200_000, 2_000),
  residents: benchSetting('BENCH_RESIDENTS', 200_000, 5_000),
  tills: 1_000,
  // Two months and a day: the last full month is always seeded whole.
  days: 62,
  lastDay: previousBusinessDay(new Date()),
};
const RATE = benchSetting('BENCH_RATE', 500, 500);
const PAIRS = Math.max(3, benchSetting('BENCH_PAIRS', 5, 3));
const PHASE_SECONDS = benchSetting('BENCH_PHASE_SECONDS', 45, 3);
const READ_SECONDS = benchSetting('BENCH_READ_SECONDS', 30, 10);
const WARMUP_SECONDS = benchSetting('BENCH_WARMUP_SECONDS', 5, 2);
const CONNECTIONS = 50;
const SETTLEMENT_QUEUE = 'settlement';
/** The triggers on the tables the till writes: the redemptions' (the running totals) and the vouchers' expiry one (its WHEN is false for a redemption). */
const TILL_TRIGGERS = [
  ['redemptions', 'redemptions_figures'],
  ['vouchers', 'vouchers_figures_expiry'],
] as const;
const SECRET = `bench-secret-${newPublicId()}`;
const CODE_KEY = `bench-code-key-${randomBytes(24).toString('hex')}`;
const SETTLEMENT_PORT = 3931;
/** `--cluster`: the apps and the worker on a Redis Cluster of the run's own (3 masters, 3 replicas); the run's Redis otherwise. */
const CLUSTER = process.argv.includes('--cluster');
const REDEMPTION_PORT = 3932;

/**
 * The last migration that changes what the seed writes or what the figures' triggers make of it.
 * A template seeded under it is copied and its copy migrated forward (a migration after it only
 * adds what the seed does not touch, e.g. FiguresPartyCounts' tables, filled by the close job
 * below); bump it with a migration that changes the seeded tables or the triggers. The recount
 * (recountMismatches) would show a bump forgotten.
 */
const SEED_SCHEMA = 'PartitionedVouchers1796750000000';

/**
 * The template's name: the schema it was seeded under and the seed's sizes. Not its days: a
 * later day's run copies it too (its vouchers stay valid for 90 days) and reads the seeded
 * days from it.
 */
function templateName(): string {
  const key = createHash('sha256').update(JSON.stringify({ ...SEED, lastDay: undefined, lastMigration: SEED_SCHEMA })).digest('hex').slice(0, 12);
  return `bench_figures_tpl_${key}`;
}

/** The last month whose every day is seeded (the seed spans two months and a day, ending with lastDay). */
function seededMonth(lastDay: string): { start: string; end: string } {
  const last = new Date(`${lastDay}T00:00:00Z`);
  const nextDay = new Date(last.getTime() + 86_400_000);
  const monthOfLast = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), 1));
  const start = nextDay.getUTCDate() === 1 ? monthOfLast : new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - 1, 1));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

async function setTillTriggers(db: DataSource, enabled: boolean): Promise<void> {
  for (const [table, trigger] of TILL_TRIGGERS) await db.query(`ALTER TABLE ${table} ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The migrations' class names, in order: the template's schema must be among them. */
function migrationNames(): string[] {
  const migrations = dataSourceOptions('postgres://unused').migrations;
  return (Array.isArray(migrations) ? migrations : []).map((migration) => (typeof migration === 'function' ? migration.name : String(migration)));
}

interface ReadPhase {
  latencies: number[];
  /** The same latencies, today's and the month's apart. */
  byRange: { today: number[]; month: number[] };
  lags: number[];
  unresolved: number;
  tally: TillTally;
  seconds: number;
}

/**
 * The till at RATE for READ_SECONDS while one reader asks for today's figures and the month's
 * in turn (figuresP95Ms), and another only for today's, one read after another (the lag). Each
 * second a probe notes how many 201s have come and when the last did; a probe is met by the
 * first of the second reader's reads whose redeemed count (above `before`) covers them.
 */
async function readUnderLoad(till: TillLoad, token: string, month: { start: string; end: string }, before: number): Promise<ReadPhase> {
  const tally = tillTally();
  const phase: ReadPhase = { latencies: [], byRange: { today: [], month: [] }, lags: [], unresolved: 0, tally, seconds: 0 };
  const probes: Array<{ acked: number; at: number }> = [];
  const get = async (query: string) => {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${SETTLEMENT_PORT}/v1/figures${query}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { total?: { redeemed: number } };
    const answeredAt = performance.now();
    if (response.status !== 200 || !body.total) throw new Error(`GET /v1/figures${query} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return { redeemed: body.total.redeemed, answeredAt, ms: answeredAt - started };
  };
  const read = async (range: 'today' | 'month') => {
    const answer = await get(range === 'today' ? '' : `?from=${month.start}&to=${month.end}`);
    phase.latencies.push(answer.ms);
    phase.byRange[range].push(answer.ms);
  };
  // The lag's own reader of today, so a slow month's read does not count as lag.
  const poll = async () => {
    const today = await get('');
    while (probes.length > 0 && before + probes[0].acked <= today.redeemed) phase.lags.push((today.answeredAt - (probes.shift()?.at ?? today.answeredAt)) / 1000);
  };
  let loading = true;
  const prober = setInterval(() => {
    if (tally.created > 0) probes.push({ acked: tally.created, at: tally.lastCreatedAt });
  }, 1_000);
  const reader = (async () => {
    for (let turn = 0; loading; turn++) await read(turn % 2 === 0 ? 'today' : 'month');
  })();
  const poller = (async () => {
    while (loading) await poll();
  })();
  const started = performance.now();
  await load(`http://127.0.0.1:${REDEMPTION_PORT}`, CONNECTIONS, till.request(tally), { duration: READ_SECONDS, rate: RATE });
  phase.seconds = (performance.now() - started) / 1000;
  clearInterval(prober);
  loading = false;
  await Promise.all([reader, poller]);
  if (tally.created > 0) probes.push({ acked: tally.created, at: tally.lastCreatedAt });
  // The probes still open after the load: read until they are met, for a minute at most.
  const deadline = performance.now() + 60_000;
  while (probes.length > 0 && performance.now() < deadline) await poll();
  phase.unresolved = probes.length;
  return phase;
}

/** One job of the settlement worker process (a worker of its own, started for it): its answer, and its seconds. */
async function jobByWorker<T>(env: NodeJS.ProcessEnv, bench: { redisUrl: string; prefix: string }, name: string, data: object): Promise<{ result: T; seconds: number }> {
  // As the worker connects (QueueConnection): on a Cluster a Cluster client, with no retry limit; the prefix hash-tagged.
  const client: ConnectionOptions = isClusterUrl(bench.redisUrl)
    ? (connectRedis(bench.redisUrl, { maxRetriesPerRequest: null }) as ConnectionOptions)
    : { url: bench.redisUrl };
  const connection = { connection: client, prefix: `${bench.prefix}{bull}` };
  const queue = new Queue(SETTLEMENT_QUEUE, connection);
  const events = new QueueEvents(SETTLEMENT_QUEUE, connection);
  // Any free port for the worker's /health and /metrics: the benchmark does not read them.
  const worker = spawnProcess('dist/apps/settlement/src/worker.js', { ...env, SETTLEMENT_WORKER_PORT: '0' });
  try {
    await events.waitUntilReady();
    const started = performance.now();
    const job = await queue.add(name, data, { jobId: `bench-${name}-${newPublicId()}` });
    const result = (await job.waitUntilFinished(events, 1_800_000)) as T;
    return { result, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
  } finally {
    await stopProcess(worker);
    await events.close();
    await queue.close();
    if ('disconnect' in client) client.disconnect();
  }
}

/** The settlement worker's recount job over days from..to: how many keys (and stored period counts) differ, and its seconds. */
async function recountByWorker(env: NodeJS.ProcessEnv, bench: { redisUrl: string; prefix: string }, from: string, to: string) {
  const { result, seconds } = await jobByWorker<{ mismatches: number; periodMismatches: number }>(env, bench, 'recount-figures', { from, to });
  return { mismatches: result.mismatches, periodMismatches: result.periodMismatches, seconds };
}

async function main(): Promise<void> {
  if (!migrationNames().includes(SEED_SCHEMA)) throw new Error(`SEED_SCHEMA ${SEED_SCHEMA} is not a migration`);
  const template = templateName();
  let seedSeconds: number | null = null;
  const copyStarted = { at: 0, seconds: 0 };
  const bench = await openBenchServices({
    copyOf: async (serverUrl, name) => {
      seedSeconds = await ensureTemplate(serverUrl, template, (url) => seedFigures(url, SEED), migrationNames());
      copyStarted.at = performance.now();
      const url = await copyTemplate(serverUrl, template, name);
      copyStarted.seconds = (performance.now() - copyStarted.at) / 1000;
      return url;
    },
  });
  if (seedSeconds !== null) log(`seeded the template ${template} in ${(seedSeconds as number).toFixed(1)} s`);
  log(`copied the template in ${copyStarted.seconds.toFixed(1)} s`);
  const db = createDataSource(bench.databaseUrl, 4);
  await db.initialize();
  const migrated = await runMigrationsLocked(db);
  if (migrated.length > 0) log(`the copy migrated forward: ${migrated.join(', ')}`);
  const cluster: RedisUnderTest | null = CLUSTER ? await startClusterRedis() : null;
  const redisUrl = cluster?.url ?? bench.redisUrl;
  if (cluster) log(`the apps' Redis: a Redis Cluster of 3 masters and 3 replicas of the run's own`);
  const redis = connectRedis(redisUrl, { keyPrefix: bench.prefix, enableAutoPipelining: true });
  const env = appEnv(bench, SECRET, { VOUCHER_CODE_KEY: CODE_KEY, REDIS_URL: redisUrl });
  // Where the worker's queue is: the apps' Redis and key prefix.
  const queueAt = { redisUrl, prefix: bench.prefix };
  try {
    const yardsticks = await measureYardsticks(bench, ['httpHelloPerSec', 'pgInsertRowsPerSec', 'pgScanRowsPerSec']);
    const [counts] = (await db.query(
      `SELECT (SELECT count(*) FROM vouchers)::int AS vouchers, (SELECT count(*) FROM redemptions)::int AS redemptions,
              (SELECT count(*) FROM refunds)::int AS refunds, (SELECT count(*) FROM merchants)::int AS merchants,
              (SELECT count(DISTINCT district) FROM merchants)::int AS districts,
              (SELECT to_char(min(day), 'YYYY-MM-DD') FROM figures_days) AS first_day, (SELECT to_char(max(day), 'YYYY-MM-DD') FROM figures_days) AS last_day`,
    )) as Array<{ vouchers: number; redemptions: number; refunds: number; merchants: number; districts: number; first_day: string; last_day: string }>;
    log(`the programme: ${JSON.stringify(counts)}`);
    const month = seededMonth(counts.last_day);
    // What the nightly close-figures job has done by the time anyone reads a past month: its
    // days', weeks' and the month's distinct parties counted once (PartyCounts).
    log(`close-figures of ${month.start}..${month.end}, by the settlement worker's job`);
    const closed = await jobByWorker<{ periods: number; counted: number }>(env, queueAt, 'close-figures', { from: month.start, to: month.end });
    log(`closed in ${closed.seconds} s: ${JSON.stringify(closed.result)}`);
    const phaseVouchers = Math.ceil(RATE * (WARMUP_SECONDS + 2 * PAIRS * PHASE_SECONDS + READ_SECONDS) * 1.2) + 1_000;
    const till = await TillLoad.prepare(db, redis, { count: phaseVouchers, jwtSecret: SECRET, codeKey: CODE_KEY });
    const stopRenewing = till.keepNoncesAlive(redis);
    const settlement = await startProcess('dist/apps/settlement/src/main.js', { ...env, SETTLEMENT_PORT: String(SETTLEMENT_PORT) }, SETTLEMENT_PORT);
    const redemption = await startProcess('dist/apps/redemption/src/main.js', { ...env, REDEMPTION_PORT: String(REDEMPTION_PORT) }, REDEMPTION_PORT);
    const tillUrl = `http://127.0.0.1:${REDEMPTION_PORT}`;
    const runTill = async (seconds: number, tally: TillTally) => load(tillUrl, CONNECTIONS, till.request(tally), { duration: seconds, rate: RATE });

    log(`till warm-up: ${WARMUP_SECONDS} s at ${RATE}/s, not measured`);
    await runTill(WARMUP_SECONDS, tillTally());
    log(`redeemSlowdown: ${PAIRS} pairs of ${PHASE_SECONDS} s phases at ${RATE}/s, figures kept and not, alternated`);
    const ratios: number[] = [];
    const phases: Array<{ kept: boolean; p99Ms: number; created: number; refused: string }> = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      const p99 = { kept: 0, notKept: 0 };
      for (const kept of pair % 2 === 0 ? [true, false] : [false, true]) {
        await setTillTriggers(db, kept);
        const tally = tillTally();
        const run = await runTill(PHASE_SECONDS, tally);
        p99[kept ? 'kept' : 'notKept'] = run.p99Ms;
        phases.push({ kept, p99Ms: run.p99Ms, created: tally.created, refused: JSON.stringify(Object.fromEntries(tally.other)) });
        log(`pair ${pair + 1}, figures ${kept ? 'kept    ' : 'not kept'}: ${tally.created} redeemed in ${run.durationSeconds} s, p99 ${run.p99Ms} ms, refused ${JSON.stringify(Object.fromEntries(tally.other))}`);
      }
      ratios.push(p99.kept / Math.max(1, p99.notKept));
    }
    await setTillTriggers(db, true);
    const redeemSlowdown = Number(median(ratios).toFixed(2));

    const auditor = new JwtService({ secret: SECRET }).sign({ sub: newPublicId(), role: 'auditor' }, { algorithm: 'HS256', expiresIn: '2h' });
    const todayBefore = await fetch(`http://127.0.0.1:${SETTLEMENT_PORT}/v1/figures`, { headers: { authorization: `Bearer ${auditor}` } });
    const before = ((await todayBefore.json()) as { total: { redeemed: number } }).total.redeemed;
    log(`reads under load: ${READ_SECONDS} s of the till at ${RATE}/s while GET /v1/figures (today ${businessDayOf(new Date())}, and ${month.start}..${month.end}) in turn`);
    const reads = await readUnderLoad(till, auditor, month, before);
    const redeemsPerSec = reads.tally.created / reads.seconds;
    const figuresP95Ms = quantileMs(reads.latencies, 0.95);
    const lagSeconds = reads.lags.length > 0 ? Number(Math.max(...reads.lags).toFixed(2)) : null;
    log(
      `reads: ${reads.latencies.length} GET /v1/figures, p50 ${quantileMs(reads.latencies, 0.5)} ms, p95 ${figuresP95Ms} ms (today p95 ${quantileMs(reads.byRange.today, 0.95)} ms, ` +
        `the month p95 ${quantileMs(reads.byRange.month, 0.95)} ms); ` +
        `till ${reads.tally.created} redeemed (${redeemsPerSec.toFixed(0)}/s), refused ${JSON.stringify(Object.fromEntries(reads.tally.other))}; ` +
        `lag over ${reads.lags.length} probes: max ${lagSeconds} s, ${reads.unresolved} never met`,
    );
    if (redeemsPerSec < RATE * 0.95) log(`the till kept up only ${redeemsPerSec.toFixed(0)}/s of the ${RATE}/s asked for`);

    const leagueStarted = performance.now();
    const league = await fetch(`http://127.0.0.1:${SETTLEMENT_PORT}/v1/figures/league?period=month&start=${month.start}&format=xlsx`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    const xlsx = Buffer.from(await league.arrayBuffer());
    const leagueXlsxSeconds = Number(((performance.now() - leagueStarted) / 1000).toFixed(2));
    if (league.status !== 200 || xlsx.subarray(0, 2).toString('latin1') !== 'PK') throw new Error(`league XLSX answered ${league.status}: ${xlsx.subarray(0, 300).toString()}`);
    log(`league of ${month.start} as XLSX: ${xlsx.length} bytes in ${leagueXlsxSeconds} s`);
    stopRenewing();
    await stopProcess(redemption);
    await stopProcess(settlement);

    log(`recount of the seeded days ${counts.first_day}..${counts.last_day}, by the settlement worker's job`);
    const recount = await recountByWorker(env, queueAt, counts.first_day, counts.last_day);
    log(`recount in ${recount.seconds} s: ${recount.mismatches} keys differ, ${recount.periodMismatches} of them stored period counts (the worker logs the first ones)`);

    printResult(
      {
        vouchers: counts.vouchers,
        redemptions: counts.redemptions,
        refunds: counts.refunds,
        merchants: counts.merchants,
        districts: counts.districts,
        figuresP95Ms,
        lagSeconds,
        leagueXlsxSeconds,
        recountMismatches: recount.mismatches,
        lagProbesUnmet: reads.unresolved,
        redeemSlowdown,
        slowdownPairs: ratios.map((ratio) => Number(ratio.toFixed(2))),
        tillPhases: phases.map((phase) => ({ kept: phase.kept, p99Ms: phase.p99Ms, redeemed: phase.created })),
        redeemsPerSecDuringReads: Math.round(redeemsPerSec),
        till: 'POST /v1/redemptions over HTTP (the redemption app)',
        seedSeconds: seedSeconds === null ? null : Number((seedSeconds as number).toFixed(1)),
        templateCopySeconds: Number(copyStarted.seconds.toFixed(1)),
        recountSeconds: recount.seconds,
        closeFiguresSeconds: closed.seconds,
        periodsCounted: closed.result.counted,
        ...(shortRun ? { short: true } : {}),
        ...(CLUSTER ? { setup: { redis: 'cluster' } } : {}),
        yardsticks,
        relative: {
          figuresP95InHttpHellos: relativeTime(figuresP95Ms / 1000, yardsticks.httpHelloPerSec),
          leagueXlsxInPgScanRows: relativeTime(leagueXlsxSeconds, yardsticks.pgScanRowsPerSec),
          recountRowsPerPgScanRow: relativeRate((counts.vouchers + counts.redemptions) / recount.seconds, yardsticks.pgScanRowsPerSec),
        },
      },
      ['recountMismatches', 'lagProbesUnmet'],
    );
  } finally {
    redis.disconnect();
    await cluster?.stop();
    await db.destroy();
    await bench.close();
  }
}

runBench(main);
