/** Shared pieces of the benchmarks: services, child processes, load runs. */
import { ChildProcess, spawn } from 'node:child_process';
import { connectRedis, Redis } from '@vouchers/redis';
import IORedis, { Cluster } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = process.cwd();

interface LocalService {
  url: string;
  source: string;
  stop: () => Promise<void>;
}

interface LocalServices {
  findOrStartPostgres(log: (m: string) => void): Promise<LocalService>;
  findOrStartRedis(log: (m: string) => void): Promise<LocalService>;
  ensureDatabase(serverUrl: string, name: string): Promise<string>;
  dropDatabase(serverUrl: string, name: string): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const services = require(join(ROOT, 'scripts/local-services.cjs')) as LocalServices;
/** The Node options each app runs with in production (scripts/app-node-args.cjs); every process a benchmark starts gets its app's. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { appNodeArgs } = require(join(ROOT, 'scripts/app-node-args.cjs')) as { appNodeArgs: (app: string) => string[] };

/**
 * The app an entry point of dist/ runs: apps/<app>/src/main.js, the settlement worker; the
 * benchmarks' own servers (the grab's baseline, plain node:http) stand beside the grab and
 * run with the issuance app's options.
 */
function appOfEntry(entry: string): string {
  if (entry.endsWith('apps/settlement/src/worker.js')) return 'settlement-worker';
  return /apps\/([a-z-]+)\/src\/main\.js$/.exec(entry)?.[1] ?? 'issuance';
}

export const runId = () => randomBytes(4).toString('hex');

/**
 * A short run (`npm run bench:<name> -- --short`, or BENCH_SHORT=1): each benchmark at a
 * fraction of its scale, a minute or two, for CI and to check that it works. Its figures say
 * that the code runs and keeps its invariants, not how fast it is; its JSON line says `"short": true`.
 */
export const shortRun = process.argv.includes('--short') || process.env.BENCH_SHORT === '1';

/** A numeric setting of a benchmark: its environment variable when set, else the full or the short run's value. */
export function benchSetting(name: string, full: number, short: number): number {
  const given = process.env[name];
  if (given === undefined || given === '') return shortRun ? short : full;
  const value = Number(given);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not ${given}`);
  return value;
}

/**
 * Extra Node options for the app a benchmark measures, from BENCH_APP_NODE_ARGS, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it under load.
 */
export const measuredAppNodeArgs = (): string[] => (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);

export interface BenchServices {
  databaseUrl: string;
  redisUrl: string;
  /** Prefix of every Redis key this run writes. */
  prefix: string;
  /** Drops the run's database and Redis keys, and stops services the run started. */
  close(): Promise<void>;
}

/**
 * Postgres and Redis (found or started), with a database and a key prefix of this run's own;
 * with `copyOf`, the database is the one it makes under the name given (a copy of a template: template-database.ts).
 */
export async function openBenchServices(options: { copyOf?: (serverUrl: string, name: string) => Promise<string> } = {}): Promise<BenchServices> {
  const postgres = await services.findOrStartPostgres(log);
  const redis = await services.findOrStartRedis(log);
  const id = runId();
  const databaseName = `bench_${id}`;
  const databaseUrl = options.copyOf ? await options.copyOf(postgres.url, databaseName) : await services.ensureDatabase(postgres.url, databaseName);
  const prefix = `bench:${id}:`;
  return {
    databaseUrl,
    redisUrl: redis.url,
    prefix,
    close: async () => {
      await services.dropDatabase(postgres.url, databaseName).catch(() => undefined);
      const cleaner = connectRedis(redis.url);
      await deleteKeysMatching(cleaner, `${prefix}*`);
      cleaner.disconnect();
      await redis.stop();
      await postgres.stop();
    },
  };
}

/**
 * The environment an app of the platform runs with in a benchmark: this run's services and key
 * prefix, quiet logs (warn: no access lines) unless BENCH_LOG_LEVEL says otherwise (info, to
 * measure the access lines; ACCESS_LOG_SAMPLE_GRABS reaches the apps from the environment).
 */
export function appEnv(bench: BenchServices, jwtSecret: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'development',
    DATABASE_URL: bench.databaseUrl,
    REDIS_URL: bench.redisUrl,
    REDIS_KEY_PREFIX: bench.prefix,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

/** Runs a benchmark's main: a failure prints its error and exits non-zero (servers it started are killed on exit). */
export function runBench(main: () => Promise<void>): void {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    log(`Node ${process.version} is older than the platform's (>= 22.12, package.json engines; .ci/run installs it): its figures are not comparable`);
  }
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/**
 * A benchmark's result: its one JSON line goes to stdout when the process exits, after its
 * clean-up, so it is the last line whatever a library logs on the way out (a pool warning when
 * the run's database is dropped). Exits non-zero when one of its invariants (the named figures:
 * oversold, double redeemed, ledger imbalance...) is not 0, so a short run in CI fails on a breach.
 */
export function printResult<Result extends object>(result: Result, invariants: Array<keyof Result & string>): void {
  const line = JSON.stringify(result);
  process.once('exit', () => process.stdout.write(`${line}\n`));
  const broken = invariants.filter((name) => result[name] !== 0);
  if (broken.length > 0) {
    log(`invariants broken: ${broken.map((name) => `${name} ${String(result[name])}`).join(', ')}`);
    process.exitCode = 1;
  }
}

const started = new Set<ChildProcess>();
// A benchmark that fails half-way must not leave its servers running.
process.on('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

/** Starts a node entry point of dist/ (killed when the benchmark exits); for a worker with no port. */
export function spawnProcess(entry: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...appNodeArgs(appOfEntry(entry)), ...nodeArgs, join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/**
 * CPU seconds (user + system) a child process has used so far, read from /proc; null where
 * there is no /proc. Read before and after a run, it gives the process's CPU a request.
 */
export function cpuSecondsOf(child: ChildProcess): number | null {
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    // utime and stime, the 14th and 15th fields of the line, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Starts a node entry point of dist/ and waits for it to answer `readyPath`. */
export async function startProcess(
  entry: string,
  env: NodeJS.ProcessEnv,
  port: number,
  readyPath = '/health',
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawnProcess(entry, env, nodeArgs);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}${readyPath}`);
      if (response.status < 500) return child;
    } catch {
      // not yet listening
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${entry} did not become ready`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface LoadResult {
  durationSeconds: number;
  requests: number;
  /** p99 latency of every answer but each connection's first (see `load`). */
  p99Ms: number;
  /** autocannon's own p99, over every answer. */
  p99AllMs: number;
  /** The first answer of each connection: how many, their median and worst latency. */
  opening: { answers: number; p50Ms: number; maxMs: number };
  non2xx: number;
  errors: number;
}

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  setupRequest?: (request: { headers: Record<string, string>; path: string }) => { headers: Record<string, string>; path: string };
  /**
   * The bytes of each request, made by the caller (see `requestBytes`); method and path then
   * only describe the run. Cheaper than setupRequest, for which autocannon rebuilds every
   * request by copying its whole options object into it: 30% of the generator's CPU in a
   * profile of bench:grab, on the same two cores as the server it measures. setupRequest
   * stays for requests with a body (bench:redeem).
   */
  nextRequest?: (host: string) => Buffer;
  onResponse?: (status: number, body: string) => void;
}

/** An HTTP/1.1 request without a body, as bytes for LoadRequest's nextRequest. */
export function requestBytes(method: LoadRequest['method'], host: string, path: string, headers: Record<string, string>): Buffer {
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  return Buffer.from(`${head}\r\n`, 'latin1');
}

/** The q-quantile (0..1) of latencies in ms, rounded to a millisecond as autocannon reports them; 0 for none. */
export function quantileMs(latencies: number[], q: number): number {
  if (latencies.length === 0) return 0;
  const sorted = Float64Array.from(latencies).sort();
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
}

/**
 * With BENCH_TRACE set, a load run prints its answers half a second at a time: how many,
 * how many of them 2xx, and their latency (median, p99, worst), to see where a p99 comes from.
 */
class LatencyTrace {
  private readonly slots: Array<{ latencies: number[]; ok: number }> = [];

  constructor(private readonly started: number) {}

  add(status: number, latencyMs: number): void {
    const at = Math.floor((performance.now() - this.started) / 500);
    const slot = (this.slots[at] ??= { latencies: [], ok: 0 });
    slot.latencies.push(latencyMs);
    if (status < 300) slot.ok += 1;
  }

  print(): void {
    this.slots.forEach((slot, i) => {
      if (!slot) return;
      const at = (q: number) => quantileMs(slot.latencies, q);
      log(`trace ${(i / 2).toFixed(1)} s: ${slot.latencies.length} answers, ${slot.ok} 2xx; ms p50 ${at(0.5)} p99 ${at(0.99)} max ${at(1)}`);
    });
  }
}

/**
 * One autocannon run; bounded by `amount` requests or `duration` seconds, whichever is given;
 * with `rate`, paced at that many requests a second over all connections (an arrival rate, not
 * as fast as the server answers).
 *
 * p99Ms leaves out the first answer of each connection. autocannon starts that request's
 * clock when it builds the client, before the socket connects and while it is still building
 * the other clients, so on 500 connections those answers carry the generator's own start-up:
 * against plain node:http, whose answer takes microseconds, they took 69 to 157 ms at the
 * median and up to 484 ms. They are counted, timed and reported apart (`opening`), and
 * autocannon's p99 over every answer is returned too (p99AllMs).
 */
export async function load(
  url: string,
  connections: number,
  request: LoadRequest,
  bound: { amount?: number; duration?: number; rate?: number },
): Promise<LoadResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as (options: object) => Promise<{
    duration: number;
    requests: { total: number };
    latency: { p99: number };
    non2xx: number;
    errors: number;
  }> & { on(event: 'response', listener: (client: object, status: number, bytes: number, latencyMs: number) => void): void };
  // With an amount, autocannon only notices the end at its next one-second tick, so its own
  // duration overstates a run by up to a second: time amount-bounded runs to their last answer.
  const started = performance.now();
  let lastAnswer = started;
  const onResponse = request.onResponse;
  const timedOnResponse = onResponse
    ? (status: number, body: string) => {
        lastAnswer = performance.now();
        onResponse(status, body);
      }
    : undefined;
  const nextRequest = request.nextRequest;
  const host = new URL(url).host;
  // Each client asks getRequestBuffer for the bytes it writes next (autocannon's Client API).
  const setupClient = nextRequest
    ? (client: { getRequestBuffer: () => Buffer }) => {
        client.getRequestBuffer = () => nextRequest(host);
      }
    : undefined;
  const running = autocannon({
    url,
    connections,
    ...(setupClient ? { setupClient } : {}),
    pipelining: 1,
    timeout: 30,
    ...(bound.amount ? { amount: bound.amount } : { duration: bound.duration ?? 5 }),
    ...(bound.rate ? { overallRate: bound.rate } : {}),
    // autocannon refuses a hook key whose value is undefined: pass only the hooks given.
    requests: [
      {
        method: request.method,
        path: request.path,
        ...(request.setupRequest ? { setupRequest: request.setupRequest } : {}),
        ...(timedOnResponse ? { onResponse: timedOnResponse } : {}),
      },
    ],
  });
  const trace = process.env.BENCH_TRACE ? new LatencyTrace(started) : null;
  const connected = new WeakSet<object>();
  const opening: number[] = [];
  const latencies: number[] = [];
  running.on('response', (client, status, _bytes, latencyMs) => {
    trace?.add(status, latencyMs);
    if (connected.has(client)) latencies.push(latencyMs);
    else {
      connected.add(client);
      opening.push(latencyMs);
    }
  });
  const result = await running;
  trace?.print();
  return {
    durationSeconds: bound.amount && timedOnResponse ? (lastAnswer - started) / 1000 : result.duration,
    requests: result.requests.total,
    p99Ms: quantileMs(latencies, 0.99),
    p99AllMs: result.latency.p99,
    opening: { answers: opening.length, p50Ms: quantileMs(opening, 0.5), maxMs: quantileMs(opening, 1) },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * Each master of the benchmark's Redis: the one Redis, or every master of a Redis Cluster (a
 * REDIS_URL of redis-cluster://), which holds only its own slots' keys.
 */
export async function mastersOf(redis: Redis): Promise<IORedis[]> {
  if (!(redis instanceof Cluster)) return [redis];
  // A Cluster client knows its nodes once it has read the slot map: a command waits for that.
  await redis.ping();
  return redis.nodes('master');
}

/** Counts the keys matching `pattern` (full names: a client without a key prefix), with SCAN on every master. */
export async function countKeysMatching(redis: Redis, pattern: string): Promise<number> {
  let count = 0;
  for (const node of await mastersOf(redis)) for await (const keys of node.scanStream({ match: pattern, count: 1000 })) count += (keys as string[]).length;
  return count;
}

/**
 * Deletes the keys matching `pattern` (a run's key prefix) with SCAN on every master, one DEL per
 * batch that SCAN found on that master, key by key: on a Cluster they are of many slots.
 */
export async function deleteKeysMatching(redis: Redis, pattern: string): Promise<void> {
  for (const node of await mastersOf(redis)) {
    for await (const keys of node.scanStream({ match: pattern, count: 1000 })) {
      await Promise.all((keys as string[]).map((key) => node.del(key)));
    }
  }
}

/** Bytes of memory the benchmark's Redis uses: summed over the masters of a Cluster. */
export async function usedMemoryOf(redis: Redis): Promise<number | undefined> {
  let total: number | undefined;
  for (const node of await mastersOf(redis)) {
    const used = /used_memory:(\d+)/.exec(await node.info('memory'))?.[1];
    if (used !== undefined) total = (total ?? 0) + Number(used);
  }
  return total;
}
