/**
 * `npm run bench:merchants`: the merchant app as a child process on a scratch database;
 * a 200,000-row CSV (about 1% bad rows) imported over HTTP by a commerce official, timed,
 * with the app's peak RSS; then the officials' listing, 200 pages with varied filters and
 * cursors followed, for its p95. The last line printed is one JSON object, with the run's
 * yardsticks (Postgres inserts, plain node:http) and the figures relative to them; `--short`
 * imports 20,000 rows. BENCH_PG_DELAY_MS puts that many milliseconds between the app and
 * Postgres each way (a slower database than parsing), to see the import's memory hold.
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { CATEGORIES, DISTRICT_CODES, newPublicId } from '@vouchers/common';
import { createDataSource } from '@vouchers/database';
import { connectRedis } from '@vouchers/redis';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appEnv, benchSetting, countKeysMatching, log, measuredAppNodeArgs, openBenchServices, runBench, shortRun, startProcess, stopProcess, printResult } from './bench-kit';
import { measureYardsticks, relativeRate, relativeTime } from './yardsticks';
import { startLatencyProxy } from './latency-proxy';
import { writeMerchantFile } from './merchant-file';

const ROWS = benchSetting('BENCH_ROWS', 200_000, 20_000);
const LIST_REQUESTS = benchSetting('BENCH_LIST_REQUESTS', 200, 50);
/** Pages read one after another in each listing walk: the first, then cursors followed. */
const WALK_PAGES = 4;
const PG_DELAY_MS = benchSetting('BENCH_PG_DELAY_MS', 0, 0);
const SECRET = `bench-secret-${newPublicId()}`;
const PORT = 3911;

interface ImportAnswer {
  rows: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: Array<{ code: string }>;
}

/** Streams the file as the request body; resolves with the status and the parsed answer. */
function importFile(path: string, token: string): Promise<{ status: number; body: ImportAnswer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: PORT,
        method: 'POST',
        path: '/v1/merchants/import',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': statSync(path).size },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ImportAnswer }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    createReadStream(path).pipe(req);
  });
}

/** Resident set size of a process from /proc, in MB: the current one and the peak so far. */
function memoryOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** WALK_PAGES pages of one filter, following the cursor; the time of each request in ms. */
async function walk(token: string, query: string): Promise<number[]> {
  const times: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < WALK_PAGES; page++) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${PORT}/v1/merchants?${query}&limit=50${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { items: unknown[]; nextCursor: string | null };
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`listing answered ${response.status}: ${JSON.stringify(body)}`);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return times;
}

async function countKeys(url: string, match: string): Promise<number> {
  const redis = connectRedis(url);
  try {
    return await countKeysMatching(redis, match);
  } finally {
    redis.disconnect();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const bench = await openBenchServices();
  const { databaseUrl, prefix } = bench;
  const dir = await mkdtemp(join(tmpdir(), 'bench-merchants-'));
  try {
    const yardsticks = await measureYardsticks(bench, ['httpHelloPerSec', 'pgInsertRowsPerSec']);
    const file = join(dir, 'merchants.csv');
    const generated = await writeMerchantFile(file, ROWS);
    log(`generated ${generated.rows} rows (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB), ${generated.badRows} bad: ${JSON.stringify(generated.badByKind)}`);

    const proxy = PG_DELAY_MS > 0 ? await startLatencyProxy(databaseUrl, PG_DELAY_MS) : null;
    if (proxy) log(`the app reaches Postgres through a proxy holding each chunk ${PG_DELAY_MS} ms each way`);
    const appDatabase = proxy ? { DATABASE_URL: proxy.url } : {};
    const app = await startProcess(
      'dist/apps/merchant/src/main.js',
      appEnv(bench, SECRET, { HTTP_WORKERS: '1', MERCHANT_PORT: String(PORT), ...appDatabase }),
      PORT,
      '/health',
      measuredAppNodeArgs(),
    );
    try {
      const jwt = new JwtService({ secret: SECRET, signOptions: { algorithm: 'HS256', expiresIn: '1h' } });
      const token = jwt.sign({ sub: newPublicId(), role: 'commerce_official' });
      const pid = app.pid as number;
      const before = memoryOf(pid);
      let peakPolled = before.rssMb;
      const timeline: number[] = [];
      let polls = 0;
      const poll = setInterval(() => {
        const { rssMb } = memoryOf(pid);
        peakPolled = Math.max(peakPolled, rssMb);
        if (polls++ % 10 === 0) timeline.push(Math.round(rssMb));
      }, 100);
      log(`importing as a commerce official (app RSS before: ${before.rssMb.toFixed(0)} MB)`);
      const started = performance.now();
      const answer = await importFile(file, token).finally(() => clearInterval(poll));
      const importSeconds = (performance.now() - started) / 1000;
      const after = memoryOf(pid);
      if (answer.status !== 200) throw new Error(`import answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      const { errors, ...counts } = answer.body;
      const byCode: Record<string, number> = {};
      for (const error of errors) byCode[error.code] = (byCode[error.code] ?? 0) + 1;
      log(`import: ${JSON.stringify(counts)} in ${importSeconds.toFixed(1)} s; errors listed by code ${JSON.stringify(byCode)}`);
      log(`app RSS: peak ${after.hwmMb.toFixed(0)} MB (VmHWM), polled max ${Math.max(peakPolled, after.rssMb).toFixed(0)} MB, now ${after.rssMb.toFixed(0)} MB`);
      log(`app RSS each second of the import, MB: ${timeline.join(' ')}`);
      const db = createDataSource(databaseUrl, 1);
      await db.initialize();
      const [{ stored }] = (await db.query('SELECT count(*)::int AS stored FROM merchants')) as Array<{ stored: number }>;
      await db.destroy();
      const indexed = await countKeys(bench.redisUrl, `${prefix}elig:{m:*`);
      log(`merchants in Postgres ${stored}, in the eligibility index ${indexed} (accepted ${counts.accepted})`);
      log(`rejected ${counts.rejected} ${counts.rejected === generated.badRows ? '=' : '≠'} ${generated.badRows} bad rows generated: ${counts.rejected === generated.badRows ? 'MATCH' : 'MISMATCH'}`);

      // A few unmeasured requests first, so connection set-up and the first query plans are not in the figures.
      await walk(token, `district=${DISTRICT_CODES[0]}&category=${CATEGORIES[0]}`);
      const times: number[] = [];
      for (let i = 0; times.length < LIST_REQUESTS; i++) {
        const district = DISTRICT_CODES[i % DISTRICT_CODES.length];
        const category = CATEGORIES[(i * 7) % CATEGORIES.length];
        // Mostly district and category, as the officials' screens ask; every fifth by district alone, every seventh city-wide by category.
        const query = i % 5 === 4 ? `district=${district}` : i % 7 === 6 ? `category=${category}` : `district=${district}&category=${category}`;
        times.push(...(await walk(token, query)));
      }
      const measured = times.slice(0, LIST_REQUESTS);
      const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
      const exportStarted = performance.now();
      const exported = await (await fetch(`http://127.0.0.1:${PORT}/v1/merchants/export`, { headers: { authorization: `Bearer ${token}` } })).text();
      const exportLines = exported.split('\r\n').length - 2; // less the header and the empty string after the last CRLF
      // A full account number of this file is 6222 and 15 digits; only masks may leave the server.
      const clearAccounts = (exported.match(/6222\d{15}/g) ?? []).length;
      log(`export: ${exportLines} merchants in ${round((performance.now() - exportStarted) / 1000)} s, ${clearAccounts} account numbers in clear; app RSS peak now ${memoryOf(pid).hwmMb.toFixed(0)} MB`);
      log(`listing: ${measured.length} requests, p50 ${round(percentile(measured, 50))} ms, p95 ${round(percentile(measured, 95))} ms, max ${round(Math.max(...measured))} ms`);
      printResult(
        {
          rows: counts.rows,
          importSeconds: round(importSeconds),
          rowsPerSec: Math.round(counts.rows / importSeconds),
          rejected: counts.rejected,
          rejectedNotGenerated: counts.rejected - generated.badRows,
          peakRssMb: Math.round(after.hwmMb),
          accountsInClear: clearAccounts,
          listP95Ms: round(percentile(measured, 95)),
          ...(PG_DELAY_MS > 0 ? { pgDelayMs: PG_DELAY_MS } : {}),
          ...(shortRun ? { short: true } : {}),
          yardsticks,
          relative: {
            importRowsPerPgInsertRow: relativeRate(counts.rows / importSeconds, yardsticks.pgInsertRowsPerSec),
            listP95InHttpHellos: relativeTime(percentile(measured, 95) / 1000, yardsticks.httpHelloPerSec),
          },
        },
        [],
      );
    } finally {
      await stopProcess(app);
      await proxy?.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await bench.close();
  }
}

runBench(main);
