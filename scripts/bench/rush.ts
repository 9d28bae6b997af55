/**
 * `npm run bench:rush`: the opening of a big round (issue 21). A crowd of distinct verified
 * residents grabs one round, once or several times each, with the arrival pattern of a real
 * opening (a burst in the first second, then decaying: rush/arrivals.ts) stretched in time to
 * what this machine serves, against the issuance app (N processes, one port each) on a Redis
 * of the run's own (a Redis Cluster, or one redis-server with `--single-redis`), with the round's
 * stock in K buckets. Each component's CPU is read from its processes (rush/process-cpu.ts) and
 * divided by the grabs answered; the same is measured for plain node:http (hello) and, when the
 * run is not already one, for a single-Redis, one-process, one-bucket run of the same rush.
 *
 *   npm run bench:rush                       one tenth: 100,000 vouchers, 300,000 residents
 *   npm run bench:rush -- --full             1,000,000 vouchers, 3,000,000 residents
 *   npm run bench:rush -- --short            one hundredth (CI)
 *   npm run bench:rush -- --buckets 8 --processes 3 --single-redis
 * By default the rush runs on a Redis Cluster (3 masters, 3 replicas) with 4 buckets and 2
 * processes; the baseline (one Redis, one process, one bucket) runs after it in the same run.
 *
 * The last line printed is one JSON object; it exits 1 when an invariant or falseSoldOut is not 0.
 */
import 'reflect-metadata';
import { newPublicId } from '@vouchers/common';
import { createDataSource, runMigrationsLocked } from '@vouchers/database';
import { ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import {
  appEnv,
  BenchServices,
  cpuSecondsOf,
  load,
  log,
  measuredAppNodeArgs,
  openBenchServices,
  printResult,
  requestBytes,
  runBench,
  startProcess,
  stopProcess,
} from './bench-kit';
import { Arrivals, openingArrivals, stretchFor } from './rush/arrivals';
import { sampledSchedule } from './rush/arrival-sample';
import { runOpenLoop } from './rush/open-loop';
import { CpuMeter, postgresBackends } from './process-cpu';
import { describeCommandStats, describeCpuByRole, readCommandStats, readCpuByRole, resetCommandStats } from './rush/redis-commands';
import { RedisUnderTest, startClusterRedis, startSingleRedis } from './redis-under-test';
import { RushAnswers } from './rush/rush-answers';
import { checkInvariants, createRushCampaign, residentTokens, RushCampaign, RushInvariants, seedResidents } from './rush/rush-data';
import { measureYardsticks } from './yardsticks';

interface RunSetup {
  cluster: boolean;
  buckets: number;
  processes: number;
}

function optionValue(name: string): number | undefined {
  const at = process.argv.indexOf(name);
  if (at < 0) return undefined;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a whole number ≥ 1, not ${process.argv[at + 1]}`);
  return value;
}

function numberSetting(name: string, fallback: number): number {
  const given = process.env[name];
  if (given === undefined || given === '') return fallback;
  const value = Number(given);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a number > 0, not ${given}`);
  return value;
}

const SIZE = process.argv.includes('--full') ? 'full' : process.argv.includes('--short') || process.env.BENCH_SHORT === '1' ? 'short' : 'tenth';
const SCALE = { full: 1, tenth: 0.1, short: 0.01 }[SIZE];
const RESIDENTS = numberSetting('BENCH_RESIDENTS', 3_000_000 * SCALE);
const STOCK = numberSetting('BENCH_STOCK', 1_000_000 * SCALE);
/** What the issue asks the rush to run on: a Redis Cluster, K = 4 buckets, N = 2 processes, unless told otherwise. */
const CONFIGURED: RunSetup = {
  cluster: !process.argv.includes('--single-redis'),
  buckets: optionValue('--buckets') ?? 4,
  processes: optionValue('--processes') ?? 2,
};
const BASELINE: RunSetup = { cluster: false, buckets: 1, processes: 1 };
const CONNECTIONS = numberSetting('BENCH_CONNECTIONS', 500);
/** Grabs of the warm-up, on a round of its own: JIT, connections, and what the machine serves (the stretch). */
const WARMUP = numberSetting('BENCH_WARMUP', SIZE === 'short' ? 5_000 : 20_000);
/** The busiest second of the opening asks this many times what the machine served in the warm-up. */
const PEAK_LOAD = numberSetting('BENCH_PEAK_LOAD', 2);
const HELLO_SECONDS = 3;
const PORTS = { app: 3911, hello: 3909 };
const CLUSTER_BASE_PORT = numberSetting('BENCH_CLUSTER_PORT', 17100);
const SECRET = `bench-secret-${newPublicId()}`;

const sameSetup = (a: RunSetup, b: RunSetup) => a.cluster === b.cluster && a.buckets === b.buckets && a.processes === b.processes;
const describeSetup = (s: RunSetup) => `${s.cluster ? 'Redis Cluster' : 'one Redis'}, ${s.buckets} bucket(s), ${s.processes} process(es)`;

interface Crowd {
  residents: string[];
  tokens: string[];
  arrivals: Arrivals;
}

interface RunFigures {
  answers: RushAnswers;
  campaign: RushCampaign;
  /** The warm-up's round, checked too: its grabs were real. */
  warmup: { answers: RushAnswers; campaign: RushCampaign };
  /** CPU seconds of each component over the rush. */
  cpu: Record<Component, number | null>;
  /** The busiest 5 s of answers (RushAnswers.busiest), and when the last voucher was acknowledged (null: never). */
  busiest: { fromSeconds: number; perSecond: number };
  soldOutSeconds: number | null;
  /** How far the opening was stretched in time (stretchFor). */
  stretch: number;
}

const grabPath = (round: string) => `/v1/rounds/${round}/claims`;
/** When each grab of the opening is due, ms after the start, the opening stretched to the machine. */
const scheduleOf = (arrivals: Arrivals, stretch: number) => arrivals.at.map((t) => t * stretch * 1000);

async function waitForAdmissionState(redis: RedisUnderTest, prefix: string, campaigns: RushCampaign[]): Promise<void> {
  const client = redis.client();
  try {
    for (const { campaign } of campaigns) {
      const key = `${prefix}{cmp:${campaign}}:loaded`;
      const deadline = Date.now() + 60_000;
      while (!(await client.exists(key))) {
        if (Date.now() > deadline) throw new Error(`the admission state of campaign ${campaign} was not loaded within 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.disconnect();
  }
}

/**
 * The warm-up: WARMUP grabs by distinct residents, all due at once (as fast as the machine
 * answers), each served a voucher, as the opening's busiest seconds nearly all are. What the
 * machine answered a second from the tenth to the ninetieth percent of answers is what the
 * opening is stretched by.
 */
async function warmUp(ports: number[], crowd: Crowd, warmup: RushCampaign, apps: ChildProcess[]): Promise<{ servedPerSec: number; answers: RushAnswers }> {
  const answers = new RushAnswers(WARMUP);
  const path = grabPath(warmup.round);
  const answeredAt: number[] = [];
  const appCpu = () => sumOrNull(apps.map(cpuSecondsOf));
  const cpuBefore = appCpu();
  await runOpenLoop({
    ports,
    connections: CONNECTIONS,
    dueMs: new Float64Array(WARMUP),
    request: (i, host) => requestBytes('POST', host, path, { authorization: `Bearer ${crowd.tokens[i]}` }),
    onAnswer: (_i, status, body, sent, answered) => {
      answers.record(status, body, sent, answered);
      answeredAt.push(answered);
    },
  });
  const from = Math.floor(WARMUP * 0.1);
  const to = Math.floor(WARMUP * 0.9);
  const servedPerSec = ((to - from) * 1000) / (answeredAt[to] - answeredAt[from]);
  const cpu = sumOrNull([appCpu(), cpuBefore === null ? null : -cpuBefore]);
  log(
    `warm-up   ${answers.describe()}; served ${Math.round(servedPerSec)}/s; ` +
      `the app's CPU ${perGrab(cpu, answers.decided)} µs an answered grab (all due at once: the app saturated, its work batched the most)`,
  );
  return { servedPerSec, answers };
}

type Component = 'app' | 'redis' | 'postgres';

/** The CPU and the answers at the moment the last voucher was acknowledged. */
interface AtSoldOut {
  cpu: Record<Component, number>;
  created: number;
  decided: number;
}

/** The rush's CPU a grab until sold out (mostly vouchers written) and after (refusals Redis decides alone). */
function logPhases(before: AtSoldOut, answers: RushAnswers, cpu: Record<Component, number | null>): void {
  const us = (seconds: number, n: number) => (n === 0 ? null : Math.round((seconds * 1e6) / n));
  const after = answers.decided - before.decided;
  const since = (name: Component) => us((cpu[name] ?? 0) - before.cpu[name], after);
  log(
    `phases    until sold out: ${before.decided} answered grabs (${before.created} vouchers), µs an answered grab ` +
      `app ${us(before.cpu.app, before.decided)} redis ${us(before.cpu.redis, before.decided)} postgres ${us(before.cpu.postgres, before.decided)}; ` +
      `after: ${after} answered grabs (refusals and the same voucher again), µs each app ${since('app')} redis ${since('redis')} postgres ${since('postgres')}`,
  );
}

/**
 * One rush under a setup: its own Redis, campaigns and app processes; answers and CPU. The
 * opening is stretched to what the setup's warm-up served, or by `sameStretchAs` (the baseline
 * runs the configured run's rush: the same grabs at the same moments, so the two CPU figures
 * are of one load, and the warm-ups' spread does not enter their ratio).
 */
async function rush(bench: BenchServices, db: DataSource, crowd: Crowd, setup: RunSetup, sameStretchAs?: RunFigures): Promise<RunFigures> {
  log(`rush on ${describeSetup(setup)}`);
  const redis = setup.cluster ? await startClusterRedis(CLUSTER_BASE_PORT) : await startSingleRedis();
  const apps: ChildProcess[] = [];
  // Reads the servers' command counts around the rush (rush/redis-commands.ts); opened once the cluster has every replica.
  let statsClient: ReturnType<RedisUnderTest['client']> | undefined;
  try {
    // Every warm-up grab gets a voucher: the busiest seconds of the opening are first grabs, nearly all of which do.
    const warmup = await createRushCampaign(db, WARMUP, setup.buckets);
    const campaign = await createRushCampaign(db, STOCK, setup.buckets);
    const ports = Array.from({ length: setup.processes }, (_, i) => PORTS.app + i);
    const env = appEnv(bench, SECRET, { REDIS_URL: redis.url, HTTP_WORKERS: '1' });
    apps.push(
      ...(await Promise.all(
        ports.map((port) => startProcess('dist/apps/issuance/src/main.js', { ...env, ISSUANCE_PORT: String(port) }, port, '/health', measuredAppNodeArgs())),
      )),
    );
    await waitForAdmissionState(redis, bench.prefix, [warmup, campaign]);

    const warmed = await warmUp(ports, crowd, warmup, apps);
    const ownStretch = stretchFor(crowd.arrivals, warmed.servedPerSec, PEAK_LOAD);
    const stretch = sameStretchAs?.stretch ?? ownStretch;
    log(
      `rush      ${crowd.arrivals.at.length} grabs by ${RESIDENTS} residents over ${Math.round(crowd.arrivals.at[crowd.arrivals.at.length - 1])} opening seconds, ` +
        `busiest second ${crowd.arrivals.peakPerSecond}; stretched ×${stretch.toFixed(2)} ` +
        (sameStretchAs
          ? `as the configured run's (this warm-up's rate would have given ×${ownStretch.toFixed(2)})`
          : `(the busiest second asks ${PEAK_LOAD}× the warm-up's rate)`),
    );

    const postgres = await postgresBackends(bench.databaseUrl);
    const meter = new CpuMeter({
      app: () => apps.map((app) => app.pid!),
      redis: redis.pids,
      postgres: postgres.pids,
    });
    const { arrivals, tokens } = crowd;
    const dueMs = scheduleOf(arrivals, stretch);
    const path = grabPath(campaign.round);
    const answers = new RushAnswers(dueMs.length);
    // Read when the last voucher is acknowledged, to split the rush's CPU in two (docs/capacity.md).
    const atSoldOut: AtSoldOut[] = [];
    statsClient = redis.client();
    await resetCommandStats(statsClient);
    const redisCpuBefore = await readCpuByRole(statsClient);
    await meter.start();
    const run = await runOpenLoop({
      ports,
      connections: CONNECTIONS,
      dueMs,
      request: (i, host) => requestBytes('POST', host, path, { authorization: `Bearer ${tokens[arrivals.resident[i]]}` }),
      onAnswer: (_i, status, body, sent, answered) => {
        answers.record(status, body, sent, answered);
        if (atSoldOut.length === 0 && answers.acked.size === campaign.stock) {
          atSoldOut.push({ cpu: meter.readNow(), created: answers.created, decided: answers.decided });
        }
      },
    });
    const cpu = await meter.stop();
    const commands = await readCommandStats(statsClient);
    const redisCpuAfter = await readCpuByRole(statsClient);
    await postgres.close();
    log(
      `rush      ${answers.describe()} in ${(run.durationMs / 1000).toFixed(1)} s; ${run.queued} grabs waited for a connection ` +
        `(at worst ${run.maxQueueMs} ms); socket errors ${run.socketErrors}`,
    );
    const busiest = answers.busiest(5);
    const soldOut = answers.soldOutSeconds(campaign.stock);
    log(
      `busiest   5 s from ${busiest.fromSeconds.toFixed(1)} s: ${Math.round(busiest.perSecond)} answers a second` +
        `${soldOut === null ? '' : `; the last voucher acknowledged at ${soldOut.toFixed(1)} s`}`,
    );
    if (atSoldOut.length > 0) logPhases(atSoldOut[0], answers, cpu);
    for (const line of describeCommandStats(commands, answers.decided)) log(`redis     ${line}`);
    log(`redis     ${describeCpuByRole(redisCpuBefore, redisCpuAfter, answers.decided)}`);
    return { answers, campaign, warmup: { answers: warmed.answers, campaign: warmup }, cpu, busiest, soldOutSeconds: soldOut, stretch };
  } finally {
    statsClient?.disconnect();
    await Promise.all(apps.map(stopProcess));
    await redis.stop();
  }
}

/** The grab's own requests (a round's path, the crowd's tokens in turn), for hello to answer. */
function helloStream(crowd: Crowd) {
  let n = 0;
  const path = grabPath(newPublicId());
  const request = (host: string) => requestBytes('POST', host, path, { authorization: `Bearer ${crowd.tokens[n++ % crowd.tokens.length]}` });
  return { method: 'POST' as const, path, nextRequest: request };
}

type HelloStream = ReturnType<typeof helloStream>;

/**
 * Plain node:http (the ceiling server) on `ports`, each warmed for a second by the grab's own
 * requests; `drive` then sends the measured load, and the servers' CPU seconds over it come back
 * (null when a server's could not be read).
 */
async function helloCpuSeconds(crowd: Crowd, ports: number[], drive: (stream: HelloStream) => Promise<void>): Promise<number | null> {
  const servers = await Promise.all(ports.map((port) => startProcess('dist/scripts/bench/ceiling-server.js', { PORT: String(port) }, port, '/')));
  try {
    const stream = helloStream(crowd);
    for (const port of ports) await load(`http://127.0.0.1:${port}`, CONNECTIONS, stream, { duration: 1 });
    const cpu = () => sumOrNull(servers.map(cpuSecondsOf));
    const before = cpu();
    await drive(stream);
    const after = cpu();
    return before === null || after === null ? null : after - before;
  } finally {
    await Promise.all(servers.map(stopProcess));
  }
}

/** Server CPU a request of plain node:http (the ceiling server), under the grab's own request stream at the rush's connections. */
async function helloCpuUsPerRequest(crowd: Crowd): Promise<number | null> {
  let run: Awaited<ReturnType<typeof load>> | undefined;
  const seconds = await helloCpuSeconds(crowd, [PORTS.hello], async (stream) => {
    run = await load(`http://127.0.0.1:${PORTS.hello}`, CONNECTIONS, stream, { duration: HELLO_SECONDS });
  });
  if (seconds === null || !run) return null;
  log(`hello     ${run.requests} requests in ${run.durationSeconds} s, ${seconds.toFixed(2)} s of the server's CPU`);
  return (seconds * 1e6) / run.requests;
}

/** The rush's arrivals replayed for hello: every sixth 3-second slice (a sixth of the rush's time). */
const HELLO_SLICE = { ms: 3_000, every: 6 };

/**
 * Server CPU a request of plain node:http on `processes` processes (the connections spread over
 * them as over the apps), under a sample of the configured rush's own arrivals: what any server
 * spends a request at those rates and that spread, the part of a grab's cost that is not the grab's.
 */
async function helloAtArrivals(crowd: Crowd, dueMs: Float64Array, processes: number): Promise<number | null> {
  const ports = Array.from({ length: processes }, (_, i) => PORTS.hello - i);
  const seconds = await helloCpuSeconds(crowd, ports, async (stream) => {
    await runOpenLoop({ ports, connections: CONNECTIONS, dueMs, request: (_i, host) => stream.nextRequest(host), onAnswer: () => undefined });
  });
  return seconds === null ? null : (seconds * 1e6) / dueMs.length;
}

/**
 * The log's reading of both ratios against hello at the rush's own rates (helloAtArrivals): on
 * one process for the baseline, on the configured run's processes for it. The JSON line keeps
 * the issue's yardstick, hello at its fastest.
 */
async function logHelloAtArrivals(crowd: Crowd, configured: RunFigures, totals: { mine: number | null; theirs: number | null }): Promise<void> {
  const dueMs = sampledSchedule(scheduleOf(crowd.arrivals, configured.stretch), HELLO_SLICE.ms, HELLO_SLICE.every);
  const one = await helloAtArrivals(crowd, dueMs, 1);
  const many = CONFIGURED.processes === 1 ? one : await helloAtArrivals(crowd, dueMs, CONFIGURED.processes);
  if (one === null || many === null) return;
  const us = (n: number) => n.toFixed(1);
  log(
    `hello     at the rush's own arrivals (every ${HELLO_SLICE.every}th ${HELLO_SLICE.ms / 1000} s slice, ${dueMs.length} requests): ` +
      `one process ${us(one)} µs a request, ${CONFIGURED.processes} process(es) ${us(many)} (×${(many / one).toFixed(2)})`,
  );
  if (totals.mine === null || totals.theirs === null) return;
  const mine = totals.mine / many;
  const theirs = totals.theirs / one;
  log(
    `hello     a grab in hellos at the same arrivals: the configured run ${mine.toFixed(2)} (on its processes' hello), ` +
      `the baseline ${theirs.toFixed(2)} (one process's); their ratio ${(mine / theirs).toFixed(2)}`,
  );
}

const perGrab = (seconds: number | null, grabs: number) => (seconds === null || grabs === 0 ? null : Math.round((seconds * 1e6) / grabs));
const sumOrNull = (values: Array<number | null>) => (values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + (b as number), 0));

function cpuPerGrab(figures: RunFigures) {
  const grabs = figures.answers.decided;
  const cpuUsPerGrab = { app: perGrab(figures.cpu.app, grabs), redis: perGrab(figures.cpu.redis, grabs), postgres: perGrab(figures.cpu.postgres, grabs) };
  return { cpuUsPerGrab, cpuUsPerGrabTotal: sumOrNull(Object.values(cpuUsPerGrab)) };
}

async function main(): Promise<void> {
  const bench = await openBenchServices();
  const db = createDataSource(bench.databaseUrl, 4);
  await db.initialize();
  try {
    await runMigrationsLocked(db);
    const yardsticks = await measureYardsticks(bench, ['httpHelloPerSec', 'pgInsertRowsPerSec', 'redisScriptCallsPerSec']);
    log(`seeding ${RESIDENTS} verified residents; rounds of ${STOCK} vouchers, limit one a person`);
    const seedStarted = Date.now();
    const residents = await seedResidents(db, RESIDENTS);
    const tokens = residentTokens(residents, SECRET, 4 * 3600);
    const crowd: Crowd = { residents, tokens, arrivals: openingArrivals(RESIDENTS) };
    log(`seeded, tokens signed and arrivals drawn in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const configured = await rush(bench, db, crowd, CONFIGURED);
    const baseline = sameSetup(CONFIGURED, BASELINE) ? configured : await rush(bench, db, crowd, BASELINE, configured);
    if (baseline === configured) log('baseline  the configured run is itself a single-Redis, one-process, one-bucket run: clusterOverhead is 1');
    const helloUs = await helloCpuUsPerRequest(crowd);

    // Every round the run grabbed: the configured rush, the baseline's, and their warm-ups.
    const runs = baseline === configured ? [configured] : [configured, baseline];
    const checked: RushInvariants[] = [];
    for (const run of runs) {
      for (const { campaign, answers } of [run, run.warmup]) checked.push(await checkInvariants(db, campaign, answers.acked.keys()));
    }
    const breaches = (name: 'oversold' | 'overLimit' | 'ackedMissing') => checked.reduce((sum, c) => sum + c[name], 0);
    const mine = cpuPerGrab(configured);
    const theirs = cpuPerGrab(baseline);
    await logHelloAtArrivals(crowd, configured, { mine: mine.cpuUsPerGrabTotal, theirs: theirs.cpuUsPerGrabTotal });
    const { answers } = configured;
    const round2 = (n: number) => Math.round(n * 100) / 100;
    const soldOut = configured.soldOutSeconds;
    log(`checks    rush, warm-up${runs.length > 1 ? ', baseline, its warm-up' : ''}: ${checked.map((c) => JSON.stringify(c)).join(' ')}`);
    log(
      `cpu       seconds ${JSON.stringify(configured.cpu)} over ${answers.decided} answered grabs (${answers.succeeded} with a voucher: ` +
        `${perGrab(sumOrNull(Object.values(configured.cpu)), answers.succeeded)} µs a voucher); baseline ${JSON.stringify(theirs)}`,
    );
    printResult(
      {
        residents: RESIDENTS,
        stock: STOCK,
        grabsPerSec: Math.round(configured.busiest.perSecond),
        soldOutSeconds: soldOut === null ? null : round2(soldOut),
        p99Ms: answers.p99Ms(),
        oversold: breaches('oversold'),
        overLimit: breaches('overLimit'),
        ackedMissing: breaches('ackedMissing'),
        falseSoldOut: answers.falseSoldOut(STOCK, CONFIGURED.buckets),
        cpuUsPerGrab: mine.cpuUsPerGrab,
        cpuUsPerGrabTotal: mine.cpuUsPerGrabTotal,
        helloCpuUsPerRequest: helloUs === null ? null : round2(helloUs),
        cpuRatio: mine.cpuUsPerGrabTotal === null || !helloUs ? null : round2(mine.cpuUsPerGrabTotal / helloUs),
        clusterOverhead: mine.cpuUsPerGrabTotal === null || !theirs.cpuUsPerGrabTotal ? null : round2(mine.cpuUsPerGrabTotal / theirs.cpuUsPerGrabTotal),
        setup: { redis: CONFIGURED.cluster ? 'cluster' : 'single', buckets: CONFIGURED.buckets, processes: CONFIGURED.processes, size: SIZE, stretch: round2(configured.stretch) },
        yardsticks,
      },
      ['oversold', 'overLimit', 'ackedMissing', 'falseSoldOut'],
    );
  } finally {
    await db.destroy();
    await bench.close();
  }
}

runBench(main);
