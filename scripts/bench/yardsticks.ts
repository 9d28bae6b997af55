/**
 * The machine a run was measured on, so figures from different machines (or from a busy
 * moment of a shared one) can be told apart and compared.
 *
 * `machine()`: its cores, its CPU, its load when the run began, a quick fixed piece of CPU work
 * timed on one core, and the Node version (the fault run prints it).
 *
 * `measureYardsticks()`: what plain work of each kind a benchmark's figures are bound by
 * runs at on this machine, now, measured by the benchmark itself in the same run against the
 * same services: plain node:http hello requests a second, Postgres rows a second for a plain
 * multi-row INSERT and for a full scan with an aggregate, Redis script calls a second. Each is
 * the same fixed work on every machine and in the short runs too. A benchmark prints its
 * figures beside their ratios to these (`relativeRate`, `relativeTime`), so a slower machine
 * shows as smaller yardsticks, not as slower code.
 */
import { callScript, connectRedis, registerLuaScripts } from '@vouchers/redis';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { load, log, startProcess, stopProcess } from './bench-kit';

export interface Machine {
  cores: number;
  cpu: string;
  /** The 1-minute load average when the run began (other work sharing the cores). */
  load1: number;
  /** SHA-256 over 64 MB in 1 KB pieces on one core, MB/s: higher is a faster (or quieter) core. */
  sha256MBps: number;
  /**
   * The Node the run and its apps ran on. It moves the figures as much as the machine does: the
   * default bench:rush on one machine, an hour apart, gave 82 µs of app CPU a grab on Node 22 and 104 on Node 20.
   */
  node: string;
}

export function machine(): Machine {
  const piece = Buffer.alloc(1024, 7);
  const started = performance.now();
  for (let i = 0; i < 65_536; i++) createHash('sha256').update(piece).digest();
  const seconds = (performance.now() - started) / 1000;
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    load1: Math.round(os.loadavg()[0] * 100) / 100,
    sha256MBps: Math.round(64 / seconds),
    node: process.version,
  };
}

export interface YardstickRates {
  /** Plain node:http answering a small JSON body: requests a second at 100 connections (autocannon, 3 s after 1 s of warm-up). */
  httpHelloPerSec: number;
  /** Rows a second of INSERT … VALUES of 1,000 rows (four columns, a logged table with a primary key), one connection, 2 s. */
  pgInsertRowsPerSec: number;
  /** Rows a second of `SELECT count(*), sum(…), max(…)` over a vacuumed 500,000-row table, the best of three. */
  pgScanRowsPerSec: number;
  /** EVALSHA calls a second of a two-command script (HINCRBY, then HGET) over one hash, 200 in flight, auto-pipelined, 2 s. */
  redisScriptCallsPerSec: number;
}

export type YardstickName = keyof YardstickRates;

export interface Yardsticks extends Partial<YardstickRates> {
  machine: Machine;
}

export interface YardstickServices {
  databaseUrl: string;
  redisUrl: string;
  /** Prefix of the Redis keys the measure may write (removed afterwards). */
  prefix: string;
}

const HELLO_PORT = 3990;
const HELLO_CONNECTIONS = 100;
const HELLO_SECONDS = 3;
const INSERT_ROWS_A_STATEMENT = 1_000;
const INSERT_SECONDS = 2;
const SCAN_ROWS = 500_000;
const SCRIPT_IN_FLIGHT = 200;
const SCRIPT_SECONDS = 2;

/** Measures the yardsticks named (all four by default), one after another, with the machine's figures. */
export async function measureYardsticks(services: YardstickServices, names: YardstickName[] = ALL): Promise<Yardsticks> {
  const result: Yardsticks = { machine: machine() };
  for (const name of ALL.filter((n) => names.includes(n))) {
    result[name] = await MEASURES[name](services);
    log(`yardstick ${name}: ${result[name]}`);
  }
  return result;
}

const ALL: YardstickName[] = ['httpHelloPerSec', 'pgInsertRowsPerSec', 'pgScanRowsPerSec', 'redisScriptCallsPerSec'];

const MEASURES: Record<YardstickName, (services: YardstickServices) => Promise<number>> = {
  httpHelloPerSec: async () => {
    const server = await startProcess('dist/scripts/bench/ceiling-server.js', { PORT: String(HELLO_PORT) }, HELLO_PORT, '/');
    try {
      const url = `http://127.0.0.1:${HELLO_PORT}`;
      await load(url, HELLO_CONNECTIONS, { method: 'GET', path: '/' }, { duration: 1 });
      const run = await load(url, HELLO_CONNECTIONS, { method: 'GET', path: '/' }, { duration: HELLO_SECONDS });
      return Math.round(run.requests / run.durationSeconds);
    } finally {
      await stopProcess(server);
    }
  },

  pgInsertRowsPerSec: ({ databaseUrl }) =>
    withClient(databaseUrl, async (client) => {
      await client.query('CREATE TABLE yardstick_insert (id bigint PRIMARY KEY, n integer NOT NULL, label text NOT NULL, at timestamptz NOT NULL)');
      const placeholders = Array.from({ length: INSERT_ROWS_A_STATEMENT }, (_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`).join(', ');
      const statement = `INSERT INTO yardstick_insert (id, n, label, at) VALUES ${placeholders}`;
      const now = new Date();
      let rows = 0;
      const started = performance.now();
      while (performance.now() - started < INSERT_SECONDS * 1000) {
        const values: unknown[] = [];
        for (let i = 0; i < INSERT_ROWS_A_STATEMENT; i++) values.push(rows + i, (rows + i) % 1000, `row ${rows + i}`, now);
        await client.query(statement, values);
        rows += INSERT_ROWS_A_STATEMENT;
      }
      const perSec = rows / ((performance.now() - started) / 1000);
      await client.query('DROP TABLE yardstick_insert');
      return Math.round(perSec);
    }),

  pgScanRowsPerSec: ({ databaseUrl }) =>
    withClient(databaseUrl, async (client) => {
      await client.query('CREATE TABLE yardstick_scan (id bigint PRIMARY KEY, n integer NOT NULL, label text NOT NULL, at timestamptz NOT NULL)');
      await client.query(`INSERT INTO yardstick_scan SELECT g, g % 1000, 'row ' || g, now() FROM generate_series(1, ${SCAN_ROWS}) g`);
      await client.query('VACUUM ANALYZE yardstick_scan');
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await client.query('SELECT count(*), sum(n), max(label) FROM yardstick_scan');
        best = Math.min(best, performance.now() - started);
      }
      await client.query('DROP TABLE yardstick_scan');
      return Math.round(SCAN_ROWS / (best / 1000));
    }),

  redisScriptCallsPerSec: async ({ redisUrl, prefix }) => {
    // One Redis or a Redis Cluster (the key's node): the script is sent once a connection, then by its SHA.
    const redis = connectRedis(redisUrl, { enableAutoPipelining: true });
    const key = `${prefix}yardstick:script`;
    try {
      const source = "redis.call('HINCRBY', KEYS[1], ARGV[1], 1) return redis.call('HGET', KEYS[1], ARGV[1])";
      registerLuaScripts(redis, [{ name: 'yardstickScript', numberOfKeys: 1, source }]);
      let calls = 0;
      const started = performance.now();
      const deadline = started + SCRIPT_SECONDS * 1000;
      const caller = async (n: number) => {
        for (let i = 0; performance.now() < deadline; i++) {
          await callScript(redis, 'yardstickScript', [key], [`f${(n + i) % 64}`]);
          calls += 1;
        }
      };
      await Promise.all(Array.from({ length: SCRIPT_IN_FLIGHT }, (_, n) => caller(n)));
      return Math.round(calls / ((performance.now() - started) / 1000));
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  },
};

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'bench-yardstick' });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const significant = (n: number) => Number(n.toPrecision(3));

/**
 * A rate of the benchmark (things a second) as a share of a yardstick's rate: the same code
 * on a machine half as fast should give about the same share.
 */
export function relativeRate(perSec: number, yardstickPerSec: number | undefined): number | null {
  return yardstickPerSec ? significant(perSec / yardstickPerSec) : null;
}

/**
 * A time of the benchmark (a latency, a build's seconds) in units of the yardstick's work:
 * how many of the yardstick's operations the machine does in that time. The same code on a
 * machine half as fast takes twice the time to do half as many: about the same figure.
 */
export function relativeTime(seconds: number, yardstickPerSec: number | undefined): number | null {
  return yardstickPerSec ? significant(seconds * yardstickPerSec) : null;
}
