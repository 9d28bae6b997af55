/**
 * `npm run bench:lottery`: a lottery round of 500,000 vouchers and 3,000,000 entrants.
 * Sign-ups through HTTP (POST /v1/rounds/:roundId/entries, group-committed) are timed over a
 * fixed window at 500 connections, against the same window of a baseline writing one INSERT a
 * request (`baseline-signup.ts`) and against plain node:http on the sign-up's request stream,
 * measured just before and just after the window (the higher is used, as bench:grab does). The rest of the entrants
 * are then bulk-loaded, sign-up closes, two officials agree the public value (which freezes the
 * list) and the draw runs at full size. The draw ranks and issues in one call: drawSeconds is
 * from the request to the draw's timestamp (vouchers.claimed_at, taken once the entrants are
 * ranked), issueSeconds from there to the answer (voucher and outcome inserts, commit, the
 * admission state loaded into Redis, publication), split at the commit as the bench sees it
 * (issueCommittedSeconds, loadAndPublishSeconds). The published entrant list and results are
 * downloaded and checked by dist/scripts/lottery-verify.js. The last line printed is one JSON
 * object; `--short` runs it small (20,000 entrants, 5,000 vouchers, 10 s windows).
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { newPublicId } from '@vouchers/common';
import { createDataSource, runMigrationsLocked } from '@vouchers/database';
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { appEnv, benchSetting, load, LoadRequest, log, measuredAppNodeArgs, openBenchServices, printResult, requestBytes, ROOT, runBench, shortRun, startProcess, stopProcess } from './bench-kit';
import { measureYardsticks, relativeRate, relativeTime } from './yardsticks';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 500);
const ENTRANTS = benchSetting('BENCH_ENTRANTS', 3_000_000, 20_000);
const QUANTITY = benchSetting('BENCH_QUANTITY', 500_000, 5_000);
/** Residents with a token who sign up over HTTP, each in turn (again from the first if the window outlasts them). */
const HTTP_CROWD = Math.min(ENTRANTS, benchSetting('BENCH_SIGNUP_CROWD', 600_000, 20_000));
const WINDOW_SECONDS = benchSetting('BENCH_WINDOW_SECONDS', 60, 10);
const WARMUP_SECONDS = benchSetting('BENCH_WARMUP_SECONDS', 5, 2);
const CEILING_SECONDS = benchSetting('BENCH_CEILING_SECONDS', 5, 2);
const RESIDENT_CHUNK = 250_000;
const FACE_FEN = 1000;
const SECRET = `bench-secret-${newPublicId()}`;
const PORTS = { app: 3941, baseline: 3942, ceiling: 3943 };

/** A round's seed and salt, and the seed's commitment, as LOTTERY.md gives them (a script does not import the app). */
const randomHex32 = () => randomBytes(32).toString('hex');
const commitmentOf = (seedHex: string) => createHash('sha256').update(Buffer.from(seedHex, 'hex')).digest('hex');

/**
 * A verified resident's access token, HS256 as the app signs them (claims `sub`, `role`, `rv: 1`),
 * made here with one HMAC: jsonwebtoken took about half a millisecond a token, minutes for the crowd.
 */
function residentTokenMinter(secret: string, lifetimeSeconds: number): (sub: string) => string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  return (sub) => {
    const payload = Buffer.from(JSON.stringify({ sub, role: 'resident', rv: 1, iat, exp: iat + lifetimeSeconds })).toString('base64url');
    const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  };
}

interface LotteryRoundSeeded {
  publicId: string;
  id: string;
  salt: string;
}

interface Tally {
  ok: number;
  other: Map<string, number>;
}

/** Verified residents, set-based in chunks (as bench:grab seeds its crowd); their public ids. */
async function seedResidents(db: DataSource, count: number): Promise<string[]> {
  const residents = Array.from({ length: count }, () => newPublicId());
  for (let start = 0; start < count; start += RESIDENT_CHUNK) {
    await db.query(
      `INSERT INTO residents (public_id, phone, verified_at)
       SELECT id, '17' || lpad(($2::int + n)::text, 9, '0'), now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [residents.slice(start, start + RESIDENT_CHUNK), start],
    );
  }
  return residents;
}

/** An active campaign of one lottery round whose sign-up is open, with its seed, salt and commitment as the app sets them up. */
async function seedLotteryRound(db: DataSource, quantity: number): Promise<LotteryRoundSeeded> {
  const publicId = newPublicId();
  const seed = randomHex32();
  const salt = randomHex32();
  const [{ round_id }]: Array<{ round_id: string }> = await db.query(
    `WITH c AS (INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
                VALUES ($1, 'bench lottery', '{dining}', '{}', $3::bigint * $4::bigint, 5000, 7, 1, 'active') RETURNING id),
          t AS (INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen)
                SELECT $5, id, '满40减10', $4, $4 * 4 FROM c RETURNING id, campaign_id),
          r AS (INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, quantity, kind, signup_opens_at, signup_closes_at)
                SELECT $2, campaign_id, id, now(), $3, 'lottery', now() - interval '1 minute', now() + interval '1 day' FROM t RETURNING id),
          s AS (INSERT INTO lottery_seeds (round_id, seed) SELECT id, $6 FROM r)
     INSERT INTO lottery_draws (round_id, salt, commitment, public_value_source)
     SELECT id, $7, $8, 'bench: 上海证券交易所公布的上证指数收盘点数' FROM r RETURNING round_id`,
    [newPublicId(), publicId, quantity, FACE_FEN, newPublicId(), seed, salt, commitmentOf(seed)],
  );
  return { publicId, id: String(round_id), salt };
}

/** Each request signs up the next resident of the crowd; answers are counted by status and code, without parsing the 200s. */
function signupRequest(path: string, tokens: string[], tally: Tally): LoadRequest {
  let next = 0;
  return {
    method: 'POST',
    path,
    nextRequest: (host) => requestBytes('POST', host, path, { authorization: `Bearer ${tokens[next++ % tokens.length]}` }),
    onResponse: (status: number, body: string) => {
      if (status === 200) {
        tally.ok += 1;
        return;
      }
      const code = /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? `HTTP_${status}`;
      tally.other.set(code, (tally.other.get(code) ?? 0) + 1);
    },
  };
}

const tallyOf = (): Tally => ({ ok: 0, other: new Map() });

async function call(url: string, token: string, body?: object): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer: unknown = await response.json();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

async function download(url: string, path: string): Promise<void> {
  const response = await fetch(url);
  if (response.status !== 200 || !response.body) throw new Error(`${url} answered ${response.status}`);
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(path));
}

/**
 * When the draw's transaction became visible (lottery_draws.drawn_at set), seen by polling every
 * 200 ms while the draw request runs: what follows it is the admission state's rebuild in Redis
 * and the publication. Null if the answer came first.
 */
async function watchCommit(db: DataSource, roundId: string, drawing: Promise<unknown>): Promise<number | null> {
  let answered = false;
  void drawing.finally(() => (answered = true)).catch(() => undefined);
  while (!answered) {
    const [{ drawn }]: Array<{ drawn: boolean }> = await db.query('SELECT drawn_at IS NOT NULL AS drawn FROM lottery_draws WHERE round_id = $1', [roundId]);
    if (drawn) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

/** Entries or vouchers twice for one resident in the round, vouchers beyond its quantity, and rounds.issued against the rows. */
async function invariants(db: DataSource, roundId: string) {
  const [row]: Array<{ entries: number; entry_dupes: number; vouchers: number; voucher_dupes: number; quantity: number; issued: number }> = await db.query(
    `SELECT (SELECT count(*) FROM lottery_entries WHERE round_id = $1)::int AS entries,
            (SELECT count(*) FROM (SELECT 1 FROM lottery_entries WHERE round_id = $1 GROUP BY resident_id HAVING count(*) > 1) d)::int AS entry_dupes,
            (SELECT count(*) FROM vouchers WHERE round_id = $1)::int AS vouchers,
            (SELECT count(*) FROM (SELECT 1 FROM vouchers WHERE round_id = $1 GROUP BY resident_id HAVING count(*) > 1) d)::int AS voucher_dupes,
            r.quantity, r.issued
       FROM rounds r WHERE r.id = $1`,
    [roundId],
  );
  return {
    ...row,
    duplicates: row.entry_dupes + row.voucher_dupes,
    overIssued: Math.max(0, row.vouchers - row.quantity) + Math.abs(row.issued - row.vouchers),
  };
}

async function main(): Promise<void> {
  const bench = await openBenchServices();
  const db = createDataSource(bench.databaseUrl, 4);
  await db.initialize();
  const env = appEnv(bench, SECRET);
  const files = mkdtempSync(join(tmpdir(), 'bench-lottery-'));
  try {
    await runMigrationsLocked(db);
    const yardsticks = await measureYardsticks(bench, ['httpHelloPerSec', 'pgInsertRowsPerSec', 'pgScanRowsPerSec']);
    log(`seeding ${ENTRANTS} verified residents, a lottery round of ${QUANTITY} vouchers, and rounds for the warm-up and the baseline`);
    let started = performance.now();
    const residents = await seedResidents(db, ENTRANTS);
    const round = await seedLotteryRound(db, QUANTITY);
    const warmupRound = await seedLotteryRound(db, 1);
    const baselineRound = await seedLotteryRound(db, 1);
    const baselineWarmupRound = await seedLotteryRound(db, 1);
    const jwt = new JwtService({ secret: SECRET, signOptions: { algorithm: 'HS256', expiresIn: '2h' } });
    const tokens = residents.slice(0, HTTP_CROWD).map(residentTokenMinter(SECRET, 2 * 3600));
    log(`seeded and ${HTTP_CROWD} tokens minted in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const appPath = (roundId: string) => `/v1/rounds/${roundId}/entries`;
    const measureCeiling = async (when: string) => {
      log(`ceiling (${when}): plain node:http on the sign-up's request stream, ${CONNECTIONS} connections, ${CEILING_SECONDS} s after a second's warm-up`);
      const server = await startProcess('dist/scripts/bench/ceiling-server.js', { PORT: String(PORTS.ceiling) }, PORTS.ceiling, '/');
      const url = `http://127.0.0.1:${PORTS.ceiling}`;
      await load(url, CONNECTIONS, signupRequest(appPath(round.publicId), tokens, tallyOf()), { duration: 1 });
      const run = await load(url, CONNECTIONS, signupRequest(appPath(round.publicId), tokens, tallyOf()), { duration: CEILING_SECONDS });
      await stopProcess(server);
      return run.requests / run.durationSeconds;
    };

    const startApp = () => startProcess('dist/apps/issuance/src/main.js', { ...env, ISSUANCE_PORT: String(PORTS.app) }, PORTS.app, '/health', measuredAppNodeArgs());
    const appUrl = `http://127.0.0.1:${PORTS.app}`;
    log(`sign-up: issuance app, ${WARMUP_SECONDS} s warm-up on a round of its own, then a ${WINDOW_SECONDS} s window at ${CONNECTIONS} connections`);
    let app = await startApp();
    await load(appUrl, CONNECTIONS, signupRequest(appPath(warmupRound.publicId), tokens, tallyOf()), { duration: WARMUP_SECONDS });
    // The ceiling just before and just after the window (the app idle, then stopped): on a shared
    // machine whose load comes and goes, figures taken minutes apart are not the same conditions.
    const ceilingBefore = await measureCeiling('before');
    const tally = tallyOf();
    const run = await load(appUrl, CONNECTIONS, signupRequest(appPath(round.publicId), tokens, tally), { duration: WINDOW_SECONDS });
    await stopProcess(app);
    const signupsPerSec = tally.ok / run.durationSeconds;
    const ceilingAfter = await measureCeiling('after');
    const httpCeilingPerSec = Math.max(ceilingBefore, ceilingAfter);

    log(`baseline: one INSERT a sign-up, same stack, ${WARMUP_SECONDS} s warm-up, ${WINDOW_SECONDS} s window at ${CONNECTIONS} connections`);
    const baselineApp = await startProcess('dist/scripts/bench/baseline-signup.js', { ...env, ISSUANCE_PORT: String(PORTS.baseline) }, PORTS.baseline);
    const baselineUrl = `http://127.0.0.1:${PORTS.baseline}`;
    const baselinePath = (roundId: string) => `/v1/baseline/rounds/${roundId}/entries`;
    await load(baselineUrl, CONNECTIONS, signupRequest(baselinePath(baselineWarmupRound.publicId), tokens, tallyOf()), { duration: WARMUP_SECONDS });
    const baselineTally = tallyOf();
    const baselineRun = await load(baselineUrl, CONNECTIONS, signupRequest(baselinePath(baselineRound.publicId), tokens, baselineTally), {
      duration: WINDOW_SECONDS,
    });
    await stopProcess(baselineApp);
    const baselineSignupsPerSec = baselineTally.ok / baselineRun.durationSeconds;

    log('bulk-loading the entrants who did not sign up over HTTP, then closing sign-up');
    started = performance.now();
    await db.query(
      `INSERT INTO lottery_entries (round_id, resident_id, entry_hash)
       SELECT $1, res.id, encode(sha256(convert_to($2 || lower(res.public_id::text), 'UTF8')), 'hex') FROM residents res
       ON CONFLICT (round_id, resident_id) DO NOTHING`,
      [round.id, round.salt],
    );
    await db.query(`UPDATE rounds SET signup_closes_at = now() - interval '1 millisecond' WHERE id = $1`, [round.id]);
    await db.query('VACUUM ANALYZE lottery_entries');
    const bulkSeconds = (performance.now() - started) / 1000;

    app = await startApp();
    const official = () => jwt.sign({ sub: newPublicId(), role: 'commerce_official' });
    const admin = `${appUrl}/v1/admin/rounds/${round.publicId}/lottery`;
    started = performance.now();
    await call(`${admin}/public-value`, official(), { value: 'bench 2026-12-03 closing index 3312.45' });
    const freezeSeconds = (performance.now() - started) / 1000;
    await call(`${admin}/public-value`, official(), { value: 'bench 2026-12-03 closing index 3312.45' });
    log(`the draw: ${ENTRANTS} entrants, ${QUANTITY} vouchers`);
    const drawStarted = Date.now();
    const drawing = call(`${admin}/draw`, official()) as Promise<{ winners: number; skipped: number; entrants: number }>;
    const committedAt = await watchCommit(db, round.id, drawing);
    const drawn = await drawing;
    const drawAnswered = Date.now();
    const [{ drawn_at }]: Array<{ drawn_at: Date }> = await db.query('SELECT min(claimed_at) AS drawn_at FROM vouchers WHERE round_id = $1', [round.id]);
    const drawSeconds = (drawn_at.getTime() - drawStarted) / 1000;
    const issueSeconds = (drawAnswered - drawn_at.getTime()) / 1000;
    const loadSeconds = (drawAnswered - (committedAt ?? drawAnswered)) / 1000;

    log('downloading the published entrant list and results, and checking them with dist/scripts/lottery-verify.js');
    const entrantsFile = join(files, 'entrants.json');
    const resultsFile = join(files, 'results.json');
    started = performance.now();
    await download(`${appUrl}/v1/rounds/${round.publicId}/lottery/entrants`, entrantsFile);
    await download(`${appUrl}/v1/rounds/${round.publicId}/lottery/results`, resultsFile);
    const downloadSeconds = (performance.now() - started) / 1000;
    await stopProcess(app);
    started = performance.now();
    const verify = spawnSync(process.execPath, [join(ROOT, 'dist/scripts/lottery-verify.js'), '--entrants', entrantsFile, '--results', resultsFile], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    const verifySeconds = (performance.now() - started) / 1000;
    const verifyMatches = verify.status === 0;
    log(`verify exited ${verify.status} in ${verifySeconds.toFixed(1)} s: ${(verify.stdout + verify.stderr).trim().split('\n').slice(-3).join(' | ')}`);

    const checked = await invariants(db, round.id);
    const describe = (t: Tally, r: { requests: number; errors: number }) =>
      `${r.requests} requests: ${t.ok} signed up, other ${JSON.stringify(Object.fromEntries(t.other))}, socket errors ${r.errors}`;
    log(`sign-up   ${describe(tally, run)}; p99 ${run.p99Ms} ms${tally.ok > HTTP_CROWD ? `; the crowd of ${HTTP_CROWD} went round again (same entry)` : ''}`);
    log(`baseline  ${describe(baselineTally, baselineRun)}; p99 ${baselineRun.p99Ms} ms`);
    log(`ceiling   ${Math.round(ceilingBefore)}/s before, ${Math.round(ceilingAfter)}/s after (the higher is httpCeilingPerSec)`);
    log(
      `rest      bulk load and close ${bulkSeconds.toFixed(1)} s; first public value (freezes the list) ${freezeSeconds.toFixed(1)} s; ` +
        `draw answer ${JSON.stringify(drawn)} after ${((drawAnswered - drawStarted) / 1000).toFixed(1)} s; files downloaded in ${downloadSeconds.toFixed(1)} s`,
    );
    log(`rows      ${JSON.stringify(checked)}`);
    const round2 = (n: number) => Math.round(n * 100) / 100;
    const winnersExpected = Math.min(QUANTITY, checked.entries);
    printResult(
      {
        entrants: checked.entries,
        signupsPerSec: Math.round(signupsPerSec),
        baselineSignupsPerSec: Math.round(baselineSignupsPerSec),
        signupRatio: round2(signupsPerSec / baselineSignupsPerSec),
        httpCeilingPerSec: Math.round(httpCeilingPerSec),
        signupCeilingShare: round2(signupsPerSec / httpCeilingPerSec),
        drawSeconds: round2(drawSeconds),
        issueSeconds: round2(issueSeconds),
        issueCommittedSeconds: round2(issueSeconds - loadSeconds),
        loadAndPublishSeconds: round2(loadSeconds),
        winners: drawn.winners,
        verifyMatches,
        duplicates: checked.duplicates,
        overIssued: checked.overIssued,
        // Winners short of min(quantity, entrants), or rows not matching the answer: not a lottery's outcome.
        winnersMissing: Math.abs(winnersExpected - drawn.winners) + Math.abs(checked.vouchers - drawn.winners),
        ...(shortRun ? { short: true } : {}),
        yardsticks,
        relative: {
          signupsPerHttpHello: relativeRate(signupsPerSec, yardsticks.httpHelloPerSec),
          signupsPerPgInsertRow: relativeRate(signupsPerSec, yardsticks.pgInsertRowsPerSec),
          baselineSignupsPerPgInsertRow: relativeRate(baselineSignupsPerSec, yardsticks.pgInsertRowsPerSec),
          drawInPgScanRows: relativeTime(drawSeconds, yardsticks.pgScanRowsPerSec),
          issueInPgInsertRows: relativeTime(issueSeconds, yardsticks.pgInsertRowsPerSec),
        },
      },
      ['duplicates', 'overIssued', 'winnersMissing'],
    );
    if (!verifyMatches) {
      log('invariant broken: the published files do not verify');
      process.exitCode = 1;
    }
  } finally {
    rmSync(files, { recursive: true, force: true });
    await db.destroy();
    await bench.close();
  }
}

runBench(main);
