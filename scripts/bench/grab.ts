/**
 * `npm run bench:grab`: the grab over HTTP under autocannon at 500 connections, against
 * (a) the baseline without Redis behind the same stack and (b) plain node:http, in one run,
 * then the invariants on the rows it produced. The last line printed is one JSON object.
 * The machine is shared and noisy: the ceiling is measured before and after the other two and
 * the higher figure is used, so a slow moment cannot flatter the grab's share of it.
 * p99Ms leaves out the first answer of each connection, which carries autocannon's own
 * start-up (bench-kit's `load`); the log prints the p99 with them and their figures.
 * The JSON line also carries the run's yardsticks (plain node:http, Redis script calls, Postgres
 * inserts) and the figures relative to them; `--short` runs it at a tenth of the scale.
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { newPublicId } from '@vouchers/common';
import { createDataSource, runMigrationsLocked } from '@vouchers/database';
import { connectRedis, spreadOverSlots } from '@vouchers/redis';
import { DataSource } from 'typeorm';
import {
  appEnv,
  benchSetting,
  cpuSecondsOf,
  load,
  LoadRequest,
  log,
  measuredAppNodeArgs,
  openBenchServices,
  requestBytes,
  runBench,
  shortRun,
  startProcess,
  stopProcess,
  printResult,
  usedMemoryOf,
} from './bench-kit';
import { measureYardsticks, relativeRate, relativeTime } from './yardsticks';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 500);
const CROWD = benchSetting('BENCH_CROWD', 60_000, 6_000);
/** Round A is grabbed first by the whole crowd; round B then by the crowd in reverse order. */
const QUANTITY_A = benchSetting('BENCH_QUANTITY', 40_000, 4_000);
const QUANTITY_B = Math.floor(QUANTITY_A / 4);
const REQUESTS = benchSetting('BENCH_REQUESTS', 100_000, 10_000);
/**
 * Grabs each server answers first, on a campaign of their own and not counted: the numbers are
 * those of a process that has served grabs before (JIT-compiled, connections open), as the
 * issuance app has at a round's opening. The baseline warms up at its scale, the ceiling for a second.
 */
const WARMUP_REQUESTS = benchSetting('BENCH_WARMUP', 10_000, 1_000);
/** The baseline runs the same pattern at a tenth of the scale: its crowd, rounds and requests. */
const BASELINE_SCALE = 10;
const CEILING_SECONDS = benchSetting('BENCH_CEILING_SECONDS', 5, 2);
const FACE_FEN = 1000;
/** The rounds' hot-stock buckets (BENCH_STOCK_BUCKETS, 1 by default: one stock key a round, as before). */
const STOCK_BUCKETS = Number(process.env.BENCH_STOCK_BUCKETS ?? 1);

/** The hash tags of a campaign's admission states: {cmp:<id>}, or one a bucket (stateIdOf in admission-keys.ts). */
function stateTagsOf(campaignId: string): string[] {
  const stateIds = STOCK_BUCKETS <= 1 ? [campaignId] : spreadOverSlots(campaignId, STOCK_BUCKETS, 'cmp:');
  return stateIds.map((stateId) => `{cmp:${stateId}}`);
}
const SECRET = `bench-secret-${newPublicId()}`;
const PORTS = { app: 3901, baseline: 3902, ceiling: 3903 };

interface Tally {
  created: number;
  same: number;
  soldOut: number;
  alreadyClaimed: number;
  other: Map<string, number>;
  acked: Set<string>;
}

interface BenchCampaign {
  campaign: string;
  rounds: [string, string];
}

/**
 * One campaign, limit one voucher a person, two rounds. The crowd grabs round A in order
 * (A sells out: created, then sold out), then round B in reverse order (those without a
 * voucher get B's stock, then sold out; A's holders are refused as already claimed).
 */
interface Seeded {
  residents: string[];
  real: BenchCampaign;
  warmup: BenchCampaign;
  baseline: BenchCampaign;
  baselineWarmup: BenchCampaign;
}

async function seed(db: DataSource): Promise<Seeded> {
  const residents = Array.from({ length: CROWD }, () => newPublicId());
  await db.query(
    `INSERT INTO residents (public_id, phone, verified_at)
     SELECT id, '17' || lpad(n::text, 9, '0'), now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [residents],
  );
  const makeCampaign = async (quantityA: number, quantityB: number): Promise<BenchCampaign> => {
    const campaign = newPublicId();
    const rounds: [string, string] = [newPublicId(), newPublicId()];
    await db.query(
      `WITH c AS (INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
                  VALUES ($1, 'bench', '{dining}', '{}', ($3::bigint + $4::bigint) * $5::bigint, 5000, 7, 1, 'active') RETURNING id),
            t AS (INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen)
                  SELECT $6, id, '满40减10', $5, $5 * 4 FROM c RETURNING id, campaign_id)
       INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, quantity, stock_buckets)
       SELECT unnest($2::uuid[]), campaign_id, id, now() - interval '1 minute', unnest(ARRAY[$3::int, $4::int]), $7::smallint FROM t`,
      [campaign, rounds, quantityA, quantityB, FACE_FEN, newPublicId(), STOCK_BUCKETS],
    );
    return { campaign, rounds };
  };
  const real = await makeCampaign(QUANTITY_A, QUANTITY_B);
  const warmup = await makeCampaign(Math.floor(WARMUP_REQUESTS / 2), Math.floor(WARMUP_REQUESTS / 8));
  await db.query('CREATE TABLE bench_stock (round_public_id uuid PRIMARY KEY, remaining integer NOT NULL)');
  const makeBaselineCampaign = async (quantityA: number, quantityB: number): Promise<BenchCampaign> => {
    const made = await makeCampaign(quantityA, quantityB);
    await db.query('INSERT INTO bench_stock VALUES ($1, $2), ($3, $4)', [made.rounds[0], quantityA, made.rounds[1], quantityB]);
    return made;
  };
  const baseline = await makeBaselineCampaign(QUANTITY_A / BASELINE_SCALE, QUANTITY_B / BASELINE_SCALE);
  const baselineWarmup = await makeBaselineCampaign(
    Math.floor(WARMUP_REQUESTS / BASELINE_SCALE / 2),
    Math.floor(WARMUP_REQUESTS / BASELINE_SCALE / 8),
  );
  return { residents, real, warmup, baseline, baselineWarmup };
}

function tallyOf(): Tally {
  return { created: 0, same: 0, soldOut: 0, alreadyClaimed: 0, other: new Map(), acked: new Set() };
}

/** The field `"name":"value"` of a JSON answer, found without parsing the whole body. */
function fieldOf(body: string, name: string): string {
  const marker = `"${name}":"`;
  const at = body.indexOf(marker);
  if (at < 0) return (JSON.parse(body) as Record<string, string>)[name];
  const start = at + marker.length;
  return body.slice(start, body.indexOf('"', start));
}

/**
 * Walks the crowd through round A in order, then round B in reverse, recording every answer.
 * The hooks run in the load generator, which shares the machine with the app: each request's
 * bytes are written here (LoadRequest.nextRequest, not autocannon's per-request builder) and
 * answers are read without JSON.parse, so the bookkeeping costs the generator little more
 * than the ceiling run's fixed request does.
 */
function grabRequest(pathOf: (round: string) => string, rounds: [string, string], tokens: string[], tally: Tally): LoadRequest {
  let next = 0;
  const paths = rounds.map(pathOf);
  const headers = tokens.map((token) => ({ authorization: `Bearer ${token}` }));
  return {
    method: 'POST',
    path: paths[0],
    nextRequest: (host) => {
      const n = next++;
      const pass = Math.floor(n / tokens.length) % 2;
      const i = pass === 0 ? n % tokens.length : tokens.length - 1 - (n % tokens.length);
      return requestBytes('POST', host, paths[pass], headers[i]);
    },
    onResponse: (status: number, body: string) => {
      if (status === 201 || status === 200) {
        if (status === 201) tally.created += 1;
        else tally.same += 1;
        tally.acked.add(fieldOf(body, 'id'));
        return;
      }
      const code = status === 409 ? fieldOf(body, 'code') : `HTTP_${status}`;
      if (code === 'SOLD_OUT') tally.soldOut += 1;
      else if (code === 'ALREADY_CLAIMED') tally.alreadyClaimed += 1;
      else tally.other.set(code, (tally.other.get(code) ?? 0) + 1);
    },
  };
}

const correct = (t: Tally) => t.created + t.same + t.soldOut + t.alreadyClaimed;

/**
 * Invariants 1-3 on the rows a run produced: rows beyond a round's quantity or face value
 * beyond the budget (oversold), people holding more than the limit of one (duplicates), and
 * success answers whose voucher is not in Postgres (ackedMissing).
 */
async function invariants(db: DataSource, campaign: string, acked: Set<string>) {
  const perRound: Array<{ rows: number; quantity: number }> = await db.query(
    `SELECT r.quantity, (SELECT count(*)::int FROM vouchers v WHERE v.round_id = r.id) AS rows
       FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.public_id = $1`,
    [campaign],
  );
  const [{ rows, people, over_budget }] = await db.query(
    `SELECT count(*)::int AS rows, count(DISTINCT v.resident_id)::int AS people,
            GREATEST(0, COALESCE(sum(v.face_value_fen), 0) - max(c.budget_fen))::bigint AS over_budget
       FROM campaigns c LEFT JOIN vouchers v ON v.campaign_id = c.id WHERE c.public_id = $1`,
    [campaign],
  );
  const ids = [...acked];
  const [{ found }] = await db.query('SELECT count(*)::int AS found FROM vouchers WHERE public_id = ANY($1::uuid[])', [ids]);
  return {
    rows: rows as number,
    oversold: perRound.reduce((sum, r) => sum + Math.max(0, r.rows - r.quantity), 0) + (Number(over_budget) > 0 ? 1 : 0),
    duplicates: rows - people,
    ackedMissing: ids.length - found,
  };
}

async function main(): Promise<void> {
  const bench = await openBenchServices();
  const { databaseUrl, prefix } = bench;
  const db = createDataSource(databaseUrl, 4);
  await db.initialize();
  // One Redis or a Redis Cluster (REDIS_URL=redis-cluster://...): every key read below names one slot.
  const redis = connectRedis(bench.redisUrl);
  const env = appEnv(bench, SECRET);
  try {
    await runMigrationsLocked(db);
    const yardsticks = await measureYardsticks(bench, ['httpHelloPerSec', 'pgInsertRowsPerSec', 'redisScriptCallsPerSec']);
    log(`seeding ${CROWD} verified residents and a campaign with rounds of ${QUANTITY_A} and ${QUANTITY_B} (the baseline's at 1/${BASELINE_SCALE})`);
    const seeded = await seed(db);
    const jwt = new JwtService({ secret: SECRET, signOptions: { algorithm: 'HS256', expiresIn: '1h' } });
    const tokens = seeded.residents.map((sub) => jwt.sign({ sub, role: 'resident', rv: 1 }));

    /**
     * The ceiling server under two request streams: the grab's own (each request bearing its
     * resident's token, built by the same hooks; the server ignores them), which is the
     * ceiling the share is taken of, since making those requests and reading their answers
     * costs the load generator, on the same two cores, about 9 µs a request more than replaying
     * one fixed request (27,090/s against 36,143/s in one run); and that one fixed request,
     * printed for comparison.
     */
    const appPath = (round: string) => `/v1/rounds/${round}/claims`;
    const measureCeiling = async (when: string) => {
      log(`ceiling (${when}): plain node:http, ${CONNECTIONS} connections, ${CEILING_SECONDS} s a stream after a second's warm-up`);
      const server = await startProcess('dist/scripts/bench/ceiling-server.js', { PORT: String(PORTS.ceiling) }, PORTS.ceiling, '/');
      const url = `http://127.0.0.1:${PORTS.ceiling}`;
      const sameStream = () => grabRequest(appPath, seeded.real.rounds, tokens, tallyOf());
      await load(url, CONNECTIONS, sameStream(), { duration: 1 });
      const grabStream = await load(url, CONNECTIONS, sameStream(), { duration: CEILING_SECONDS });
      const fixedRequest = await load(url, CONNECTIONS, { method: 'POST', path: '/' }, { duration: CEILING_SECONDS });
      await stopProcess(server);
      return { grabStream, fixedRequest };
    };
    const ceilingBefore = await measureCeiling('before');

    log(`the grab: issuance app, ${WARMUP_REQUESTS} warm-up grabs, then ${REQUESTS} requests at ${CONNECTIONS} connections`);
    const app = await startProcess(
      'dist/apps/issuance/src/main.js',
      { ...env, ISSUANCE_PORT: String(PORTS.app) },
      PORTS.app,
      '/health',
      measuredAppNodeArgs(),
    );
    const appUrl = `http://127.0.0.1:${PORTS.app}`;
    for (const campaign of [seeded.warmup, seeded.real]) {
      const loadedKey = `${prefix}{cmp:${campaign.campaign}}:loaded`;
      for (let i = 0; i < 100 && !(await redis.exists(loadedKey)); i++) await new Promise((r) => setTimeout(r, 100));
    }
    const warmupTally = tallyOf();
    await load(appUrl, CONNECTIONS, grabRequest(appPath, seeded.warmup.rounds, tokens, warmupTally), { amount: WARMUP_REQUESTS });
    const tally = tallyOf();
    const cpuBefore = cpuSecondsOf(app);
    const run = await load(appUrl, CONNECTIONS, grabRequest(appPath, seeded.real.rounds, tokens, tally), { amount: REQUESTS });
    const cpuAfter = cpuSecondsOf(app);
    await stopProcess(app);
    const grabsPerSec = correct(tally) / run.durationSeconds;
    // With hot-stock buckets each bucket keeps its own pending set and the records of its residents (admission-keys.ts).
    const tags = stateTagsOf(seeded.real.campaign);
    const pending = (await Promise.all(tags.map((tag) => redis.zcard(`${prefix}${tag}:pending`)))).reduce((a, b) => a + b, 0);
    const personTtl = Math.max(...(await Promise.all(tags.map((tag) => redis.pttl(`${prefix}${tag}:person:${seeded.residents[0]}`)))));
    const memory = await usedMemoryOf(redis);

    log(`baseline: Postgres transaction per grab, same stack, warm-up and pattern at 1/${BASELINE_SCALE} scale, ${CONNECTIONS} connections`);
    const baselineApp = await startProcess('dist/scripts/bench/baseline-grab.js', { ...env, ISSUANCE_PORT: String(PORTS.baseline) }, PORTS.baseline);
    const baselineUrl = `http://127.0.0.1:${PORTS.baseline}`;
    const baselinePath = (round: string) => `/v1/baseline/rounds/${round}/claims`;
    const baselineCrowd = tokens.slice(0, CROWD / BASELINE_SCALE);
    // autocannon refuses fewer requests than connections (a short run's warm-up at a tenth).
    await load(baselineUrl, CONNECTIONS, grabRequest(baselinePath, seeded.baselineWarmup.rounds, baselineCrowd, tallyOf()), {
      amount: Math.max(WARMUP_REQUESTS / BASELINE_SCALE, CONNECTIONS),
    });
    const baselineTally = tallyOf();
    const baselineRun = await load(baselineUrl, CONNECTIONS, grabRequest(baselinePath, seeded.baseline.rounds, baselineCrowd, baselineTally), {
      amount: REQUESTS / BASELINE_SCALE,
    });
    await stopProcess(baselineApp);
    const baselineGrabsPerSec = correct(baselineTally) / baselineRun.durationSeconds;

    const ceilingAfter = await measureCeiling('after');
    const perSec = (r: { requests: number; durationSeconds: number }) => r.requests / r.durationSeconds;
    const httpCeilingPerSec = Math.max(perSec(ceilingBefore.grabStream), perSec(ceilingAfter.grabStream));
    const fixedCeilingPerSec = Math.max(perSec(ceilingBefore.fixedRequest), perSec(ceilingAfter.fixedRequest));

    const checked = await invariants(db, seeded.real.campaign, tally.acked);
    // The warm-up's grabs were real too: they are checked, and count in the invariant fields.
    const warmupChecked = await invariants(db, seeded.warmup.campaign, warmupTally.acked);
    const baselineChecked = await invariants(db, seeded.baseline.campaign, baselineTally.acked);
    const describe = (t: Tally, r: { requests: number; errors: number }) =>
      `${r.requests} requests: ${t.created} created, ${t.same} same voucher again, ${t.soldOut} sold out, ${t.alreadyClaimed} already claimed, ` +
      `other ${JSON.stringify(Object.fromEntries(t.other))}, socket errors ${r.errors}`;
    log(`grab      ${describe(tally, run)}; successes ${((100 * (tally.created + tally.same)) / run.requests).toFixed(1)}% of answers`);
    if (cpuBefore !== null && cpuAfter !== null) {
      log(`grab      the app's CPU: ${Math.round(((cpuAfter - cpuBefore) * 1e6) / run.requests)} µs a request (${(cpuAfter - cpuBefore).toFixed(2)} s in ${run.durationSeconds.toFixed(1)} s)`);
    }
    log(
      `grab      p99 ${run.p99Ms} ms leaving out each connection's first answer; ${run.p99AllMs} ms over every answer. ` +
        `The ${run.opening.answers} first answers: median ${run.opening.p50Ms} ms, worst ${run.opening.maxMs} ms ` +
        `(plain node:http's, on the grab's stream: median ${ceilingBefore.grabStream.opening.p50Ms} and ${ceilingAfter.grabStream.opening.p50Ms} ms)`,
    );
    log(`grab      rows ${checked.rows}/${QUANTITY_A + QUANTITY_B}; pending reservations left ${pending}; person record ttl ${Math.round(personTtl / 3.6e6)} h; redis used_memory ${memory} bytes`);
    log(`warm-up   ${describe(warmupTally, { requests: WARMUP_REQUESTS, errors: 0 })}; invariants ${JSON.stringify(warmupChecked)}`);
    log(`baseline  ${describe(baselineTally, baselineRun)}; p99 ${baselineRun.p99Ms} ms (${baselineRun.p99AllMs} ms over every answer); invariants ${JSON.stringify(baselineChecked)}`);
    const round2 = (n: number) => Math.round(n * 100) / 100;
    log(
      `ceiling   grab's request stream ${Math.round(perSec(ceilingBefore.grabStream))}/s before, ${Math.round(perSec(ceilingAfter.grabStream))}/s after ` +
        `(the higher is httpCeilingPerSec); one fixed request ${Math.round(perSec(ceilingBefore.fixedRequest))}/s before, ` +
        `${Math.round(perSec(ceilingAfter.fixedRequest))}/s after: against the higher of those the share would be ${round2(grabsPerSec / fixedCeilingPerSec)}`,
    );
    printResult(
      {
        grabsPerSec: Math.round(grabsPerSec),
        p99Ms: run.p99Ms,
        baselineGrabsPerSec: Math.round(baselineGrabsPerSec),
        ratio: round2(grabsPerSec / baselineGrabsPerSec),
        httpCeilingPerSec: Math.round(httpCeilingPerSec),
        ceilingShare: round2(grabsPerSec / httpCeilingPerSec),
        oversold: checked.oversold + warmupChecked.oversold,
        duplicates: checked.duplicates + warmupChecked.duplicates,
        ackedMissing: checked.ackedMissing + warmupChecked.ackedMissing,
        ...(shortRun ? { short: true } : {}),
        ...(STOCK_BUCKETS !== 1 ? { stockBuckets: STOCK_BUCKETS } : {}),
        yardsticks,
        relative: {
          grabsPerHttpHello: relativeRate(grabsPerSec, yardsticks.httpHelloPerSec),
          grabsPerRedisScriptCall: relativeRate(grabsPerSec, yardsticks.redisScriptCallsPerSec),
          grabsPerPgInsertRow: relativeRate(grabsPerSec, yardsticks.pgInsertRowsPerSec),
          p99InHttpHellos: relativeTime(run.p99Ms / 1000, yardsticks.httpHelloPerSec),
          baselineGrabsPerPgInsertRow: relativeRate(baselineGrabsPerSec, yardsticks.pgInsertRowsPerSec),
        },
      },
      ['oversold', 'duplicates', 'ackedMissing'],
    );
  } finally {
    redis.disconnect();
    await db.destroy();
    await bench.close();
  }
}

runBench(main);
