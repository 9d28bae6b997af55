/**
 * `npm run bench:redeem`: scan-and-redeem over HTTP under autocannon at 200 connections. Seeds
 * residents holding one claimed voucher each and approved merchants with one cashier each,
 * then every request scans a fresh code of a voucher no other request uses, with its own order
 * number. Afterwards the invariants on the rows: no voucher redeemed twice, the ledger
 * balances. The last line printed is one JSON object, with the run's yardsticks (plain node:http,
 * Postgres inserts, Redis script calls) and the figures relative to them; `--short` runs a tenth.
 * The app runs against a Redis of the run's own, so its CPU is the till's: one redis-server, or
 * with `--cluster` a Redis Cluster of 3 masters and 3 replicas (redis-under-test.ts).
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { DISTRICT_CODES, newPublicId } from '@vouchers/common';
import { createDataSource, ensureCampaignPartitions, ledgerAccounts, runMigrationsLocked } from '@vouchers/database';
import { connectRedis } from '@vouchers/redis';
import { CODE_POLICY, NONCE_TTL_MS, signVoucherCode } from '@vouchers/voucher-code';
import { EligibilityIndex } from '@vouchers/eligibility';
import { createSecretKey, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { appEnv, benchSetting, load, log, measuredAppNodeArgs, openBenchServices, runBench, shortRun, startProcess, stopProcess, printResult } from './bench-kit';
import { CpuMeter, postgresBackends } from './process-cpu';
import { startClusterRedis, startSingleRedis } from './redis-under-test';
import { storeNonces } from './till-redis';
import { measureYardsticks, relativeRate, relativeTime } from './yardsticks';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const REQUESTS = benchSetting('BENCH_REQUESTS', 30_000, 3_000);
/** Unmeasured requests first (their own vouchers), so cold pools and first query plans are not in the figures. */
const WARMUP = benchSetting('BENCH_WARMUP', 1_000, 300);
const MERCHANTS = benchSetting('BENCH_MERCHANTS', 1_000, 200);
/**
 * One voucher a resident, one request a voucher; a few spare, since autocannon builds a
 * connection's next request again after a socket error.
 */
const VOUCHERS = WARMUP + REQUESTS + CONNECTIONS;
/**
 * Campaigns beside the one redeemed, each in its partition of vouchers with a voucher of every
 * holder (`BENCH_OTHER_CAMPAIGNS`, 0 by default): a city's year holds several, and the till must
 * find its voucher among them all.
 */
const OTHER_CAMPAIGNS = benchSetting('BENCH_OTHER_CAMPAIGNS', 0, 0);
const FACE_FEN = 1000;
const THRESHOLD_FEN = 4000;
/** Not a round share, so the city's part is rounded down and the district takes the rest. */
const CITY_SHARE_BP = 3333;
const ORDER_MIN_FEN = 5000;
const ORDER_MAX_FEN = 20_000;
const SECRET = `bench-secret-${newPublicId()}`;
const CODE_KEY = `bench-code-key-${randomBytes(24).toString('hex')}`;
const PORT = 3921;
/** `--cluster`: the till on a Redis Cluster of the run's own; one redis-server of its own otherwise. */
const CLUSTER = process.argv.includes('--cluster');
const PATH = '/v1/redemptions';

/** The district of the i-th seeded merchant: the districts in turn. */
const districtOf = (i: number) => DISTRICT_CODES[i % DISTRICT_CODES.length];

interface Seeded {
  vouchers: string[];
  holders: string[];
  merchants: string[];
  cashiers: string[];
}

interface Tally {
  created: number;
  /** 200: answered as a retry of an earlier redemption; never expected here. */
  retried: number;
  /** 201 answers whose payable is not the order amount less the discount, or whose discount is not the face value. */
  wrongFigures: number;
  other: Map<string, number>;
}

/** A campaign for dining in every district, one round, and one claimed voucher (`vouchers`) for each of `holders`. */
async function seedCampaign(db: DataSource, name: string, vouchers: string[], holders: string[]): Promise<void> {
  const round = newPublicId();
  await db.query(
    `WITH c AS (INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
                VALUES ($1, $8, '{dining}', '{}', $3::bigint * $4::bigint, $6, 7, 1, 'active') RETURNING id),
          t AS (INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen)
                SELECT $7, id, '满40减10', $4, $5 FROM c RETURNING id, campaign_id)
     INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, quantity)
     SELECT $2, campaign_id, id, now() - interval '1 hour', $3 FROM t`,
    [newPublicId(), round, vouchers.length, FACE_FEN, THRESHOLD_FEN, CITY_SHARE_BP, newPublicId(), name],
  );
  await db.query(
    `INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, status, claimed_at, expires_at)
     SELECT v.id, r.campaign_id, r.id, res.id, 1, $3, $4, 'claimed', now() - interval '10 minutes', now() + interval '7 days'
       FROM unnest($1::uuid[], $2::uuid[]) AS v(id, holder)
       JOIN residents res ON res.public_id = v.holder
      CROSS JOIN rounds r WHERE r.public_id = $5`,
    [vouchers, holders, FACE_FEN, THRESHOLD_FEN, round],
  );
}

/**
 * Residents with one claimed voucher each of a campaign for dining in every district (and one
 * each of OTHER_CAMPAIGNS more), and MERCHANTS approved dining merchants spread over the
 * districts, each with one active cashier.
 */
async function seed(db: DataSource): Promise<Seeded> {
  const holders = Array.from({ length: VOUCHERS }, () => newPublicId());
  const vouchers = Array.from({ length: VOUCHERS }, () => newPublicId());
  const merchants = Array.from({ length: MERCHANTS }, () => newPublicId());
  const cashiers = Array.from({ length: MERCHANTS }, () => newPublicId());
  await db.query(
    `INSERT INTO residents (public_id, phone, verified_at)
     SELECT id, '17' || lpad(n::text, 9, '0'), now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [holders],
  );
  await seedCampaign(db, 'bench redeem', vouchers, holders);
  // Campaigns of the year before this one, each holding a voucher of every holder: the till finds its voucher among theirs.
  for (let k = 1; k <= OTHER_CAMPAIGNS; k++) {
    await seedCampaign(db, `bench earlier ${k}`, holders.map(() => newPublicId()), holders);
  }
  // Each campaign in its own partition, as a campaign made by the API is.
  await ensureCampaignPartitions(db.manager);
  await db.query(
    `INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address, status)
     SELECT id, '91330200' || lpad(n::text, 10, '0'), 'Bench Dining Co. ' || n, 'Bench kitchen ' || n, district, 'dining',
            'No. ' || n || ' Bench Road', 'approved'
       FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, district, n)`,
    [merchants, merchants.map((_, i) => districtOf(i))],
  );
  await db.query(
    `INSERT INTO merchant_staff (public_id, merchant_id, phone, name, role)
     SELECT s.id, m.id, '13' || lpad(s.n::text, 9, '0'), 'Cashier ' || s.n, 'merchant_staff'
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS s(id, merchant, n)
       JOIN merchants m ON m.public_id = s.merchant`,
    [cashiers, merchants],
  );
  return { vouchers, holders, merchants, cashiers };
}

function tallyOf(): Tally {
  return { created: 0, retried: 0, wrongFigures: 0, other: new Map() };
}

/**
 * Request n scans voucher n's code, signed just before it is sent (so it is fresh whatever
 * the pace), at merchant n mod MERCHANTS, with order number n and an amount above the threshold.
 */
function redeemRequest(seeded: Seeded, nonces: string[], tokens: string[], cursor: { next: number; wrapped: number }, tally: Tally, acked: Map<string, string>) {
  const key = createSecretKey(Buffer.from(CODE_KEY, 'utf8'));
  return {
    method: 'POST' as const,
    path: PATH,
    setupRequest: (request: { headers: Record<string, string>; path: string; body?: string }) => {
      let n = cursor.next++;
      if (n >= seeded.vouchers.length) {
        // Out of vouchers (only after many socket errors): the scan is a replay, counted as a refusal.
        cursor.wrapped += 1;
        n %= seeded.vouchers.length;
      }
      const code = signVoucherCode(
        {
          voucherId: seeded.vouchers[n],
          residentId: seeded.holders[n],
          expiresAt: Math.floor(Date.now() / 1000) + CODE_POLICY.ttlSeconds,
          nonce: nonces[n],
        },
        key,
      );
      const orderAmountFen = ORDER_MIN_FEN + ((n * 7919) % (ORDER_MAX_FEN - ORDER_MIN_FEN + 1));
      request.headers = {
        ...request.headers,
        authorization: `Bearer ${tokens[n % tokens.length]}`,
        'content-type': 'application/json',
      };
      request.body = JSON.stringify({ code, orderAmountFen, merchantOrderNo: `BENCH-${n}` });
      return request;
    },
    onResponse: (status: number, body: string) => {
      if (status === 201 || status === 200) {
        const answer = JSON.parse(body) as { redemptionId: string; voucherId: string; orderAmountFen: number; discountFen: number; payableFen: number };
        if (status === 201) tally.created += 1;
        else tally.retried += 1;
        if (answer.discountFen !== FACE_FEN || answer.payableFen !== answer.orderAmountFen - answer.discountFen) tally.wrongFigures += 1;
        acked.set(answer.redemptionId, answer.voucherId);
        return;
      }
      let code = `HTTP_${status}`;
      try {
        code = `${status} ${(JSON.parse(body) as { code?: string }).code ?? ''}`.trim();
      } catch {
        // not JSON: keep the status alone
      }
      tally.other.set(code, (tally.other.get(code) ?? 0) + 1);
    },
  };
}

/**
 * The app's own view of the route's latency, from its Prometheus histogram: the mean and the
 * upper bound of the bucket holding the 99th percentile (one worker's view when there are several).
 */
async function serverSide(): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
  const lines = text.split('\n').filter((line) => line.includes(`route="${PATH}"`));
  const total = (name: string) =>
    lines.filter((line) => line.startsWith(`${name}{`)).reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  const count = total('http_request_duration_seconds_count');
  if (count === 0) return 'no requests recorded';
  const buckets = new Map<string, number>();
  for (const line of lines.filter((l) => l.startsWith('http_request_duration_seconds_bucket{'))) {
    const le = /le="([^"]+)"/.exec(line)?.[1] ?? '+Inf';
    buckets.set(le, (buckets.get(le) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  const p99 = [...buckets].find(([, cumulative]) => cumulative >= 0.99 * count)?.[0] ?? '+Inf';
  const meanMs = (1000 * total('http_request_duration_seconds_sum')) / count;
  return `${count} requests, mean ${meanMs.toFixed(1)} ms, p99 ≤ ${p99 === '+Inf' ? p99 : `${Number(p99) * 1000} ms`}`;
}

/**
 * On the rows the run produced. doubleRedeemed: vouchers with more than one redemption, plus
 * redemptions whose voucher is not marked redeemed, plus 201 answers with no redemption in
 * Postgres. ledgerImbalanceFen: each posting's |debits - credits|, plus the whole ledger's,
 * plus the gap between the redemptions' discounts and the credits to merchants' payables.
 */
async function invariants(db: DataSource, acked: Map<string, string>) {
  const [rows] = (await db.query(
    `SELECT (SELECT count(*) FROM redemptions)::int AS redemptions,
            (SELECT count(*) FROM vouchers WHERE status = 'redeemed')::int AS redeemed_vouchers,
            (SELECT count(*) FROM (SELECT voucher_id FROM redemptions GROUP BY voucher_id HAVING count(*) > 1) d)::int AS twice,
            (SELECT count(*) FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id WHERE v.status <> 'redeemed')::int AS not_flipped,
            (SELECT count(*) FROM vouchers v
              WHERE v.status = 'redeemed' AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.voucher_id = v.id))::int AS flipped_without_row`,
  )) as Array<{ redemptions: number; redeemed_vouchers: number; twice: number; not_flipped: number; flipped_without_row: number }>;
  const ids = [...acked.keys()];
  const [{ found }] = (await db.query('SELECT count(*)::int AS found FROM redemptions WHERE public_id = ANY($1::uuid[])', [ids])) as Array<{ found: number }>;
  const [ledger] = (await db.query(
    `SELECT COALESCE((SELECT sum(abs(d)) FROM (SELECT sum(debit_fen) - sum(credit_fen) AS d FROM ledger_entries GROUP BY posting_id) p), 0)::text AS per_posting,
            (SELECT abs(COALESCE(sum(debit_fen), 0) - COALESCE(sum(credit_fen), 0)) FROM ledger_entries)::text AS overall,
            abs((SELECT COALESCE(sum(discount_fen), 0) FROM redemptions)
                - (SELECT COALESCE(sum(credit_fen), 0) FROM ledger_entries WHERE account LIKE $1 || '%'))::text AS payable_gap,
            abs((SELECT COALESCE(sum(city_fen), 0) FROM redemptions)
                - (SELECT COALESCE(sum(debit_fen), 0) FROM ledger_entries WHERE account = $2))::text AS city_gap,
            abs((SELECT COALESCE(sum(district_fen), 0) FROM redemptions)
                - (SELECT COALESCE(sum(debit_fen), 0) FROM ledger_entries WHERE account LIKE $3 || '%'))::text AS district_gap,
            (SELECT count(DISTINCT posting_id) FROM ledger_entries)::int AS postings,
            (SELECT count(*) FROM redemptions r
              WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.ref_type = 'redemption' AND e.ref_id = r.public_id))::int AS unposted`,
    [ledgerAccounts.payablePrefix, ledgerAccounts.cityBudget, ledgerAccounts.districtBudgetPrefix],
  )) as Array<{ per_posting: string; overall: string; payable_gap: string; city_gap: string; district_gap: string; postings: number; unposted: number }>;
  return {
    ...rows,
    ackedMissing: ids.length - found,
    doubleRedeemed: rows.twice + rows.not_flipped + (ids.length - found),
    ledgerImbalanceFen: Number(ledger.per_posting) + Number(ledger.overall) + Number(ledger.payable_gap),
    ledger,
  };
}

async function main(): Promise<void> {
  const bench = await openBenchServices();
  const { databaseUrl, prefix } = bench;
  const db = createDataSource(databaseUrl, 4);
  await db.initialize();
  const underTest = CLUSTER ? await startClusterRedis() : await startSingleRedis();
  // The bench's writes carry the apps' key prefix, as the apps' own writes do.
  const redis = connectRedis(underTest.url, { keyPrefix: prefix, enableAutoPipelining: true });
  const env = appEnv(bench, SECRET, { VOUCHER_CODE_KEY: CODE_KEY, REDIS_URL: underTest.url });
  try {
    await runMigrationsLocked(db);
    const yardsticks = await measureYardsticks(bench, ['httpHelloPerSec', 'pgInsertRowsPerSec', 'redisScriptCallsPerSec']);
    log(`seeding ${VOUCHERS} residents with a claimed voucher each (face ${FACE_FEN}, threshold ${THRESHOLD_FEN} fen) and ${MERCHANTS} approved merchants with a cashier each; ${OTHER_CAMPAIGNS} other campaigns`);
    const seeded = await seed(db);
    log(`the till's Redis: ${CLUSTER ? 'a Redis Cluster of 3 masters and 3 replicas' : 'one redis-server'} of the run's own`);
    // The till's view of the merchants, as the platform builds it from the rows just seeded.
    await new EligibilityIndex(redis, db).rebuild();
    const jwt = new JwtService({ secret: SECRET, signOptions: { algorithm: 'HS256', expiresIn: '1h' } });
    const tokens = seeded.cashiers.map((sub, i) => jwt.sign({ sub, role: 'merchant_staff', merchantId: seeded.merchants[i] }));
    const nonceBytes = randomBytes(8 * VOUCHERS);
    const nonces = seeded.vouchers.map((_, i) => nonceBytes.toString('hex', 8 * i, 8 * i + 8));

    const app = await startProcess(
      'dist/apps/redemption/src/main.js',
      { ...env, REDEMPTION_PORT: String(PORT) },
      PORT,
      '/health',
      measuredAppNodeArgs(),
    );
    // Every code's nonce is stored up front, as if each resident had just opened their code.
    await storeNonces(redis, seeded.vouchers, nonces);
    const cursor = { next: 0, wrapped: 0 };
    // A run longer than a nonce's life keeps the unused ones alive (never in the default run).
    const keepAlive = setInterval(() => {
      storeNonces(redis, seeded.vouchers, nonces, cursor.next).catch((error: unknown) => log(`renewing nonces failed: ${String(error)}`));
    }, NONCE_TTL_MS / 2);
    keepAlive.unref();
    const acked = new Map<string, string>();

    const warmTally = tallyOf();
    const warmConnections = Math.min(CONNECTIONS, WARMUP);
    if (WARMUP > 0) {
      log(`warm-up: ${WARMUP} redemptions at ${warmConnections} connections, not measured`);
      await load(`http://127.0.0.1:${PORT}`, warmConnections, redeemRequest(seeded, nonces, tokens, cursor, warmTally, acked), { amount: WARMUP });
    }
    // Statistics as a live database has them, so no table is planned as the empty one it was at seeding;
    // and vacuumed, so autovacuum's pass over the seeded rows (counted as this database's CPU) does not fall in the run.
    await db.query('VACUUM ANALYZE');
    log(`scan-and-redeem: ${REQUESTS} requests at ${CONNECTIONS} connections, each a fresh code of its own voucher`);
    const tally = tallyOf();
    // CPU of the app and of the database's Postgres backends over the measured run (docs/capacity.md).
    const backends = await postgresBackends(databaseUrl);
    const meter = new CpuMeter({ app: () => [app.pid!], redis: underTest.pids, postgres: backends.pids });
    await meter.start();
    const run = await load(`http://127.0.0.1:${PORT}`, CONNECTIONS, redeemRequest(seeded, nonces, tokens, cursor, tally, acked), { amount: REQUESTS });
    const cpu = await meter.stop();
    await backends.close();
    clearInterval(keepAlive);
    const appView = await serverSide().catch((error: unknown) => `unavailable (${String(error)})`);
    await stopProcess(app);
    const redeemsPerSec = tally.created / run.durationSeconds;
    const perRedemption = (seconds: number | null) => (seconds === null ? null : Math.round((seconds * 1e6) / tally.created));

    const checked = await invariants(db, acked);
    const others = (t: Tally) => JSON.stringify(Object.fromEntries(t.other));
    log(`warm-up   ${warmTally.created} redeemed, ${warmTally.retried} answered as retries, other ${others(warmTally)}`);
    log(
      `redeem    ${run.requests} requests in ${run.durationSeconds.toFixed(1)} s: ${tally.created} redeemed (201), ${tally.retried} answered as retries (200), ` +
        `other ${others(tally)}, socket errors ${run.errors}, codes reused ${cursor.wrapped}, answers with wrong figures ${tally.wrongFigures}`,
    );
    log(`redeem    p99 ${run.p99Ms} ms at the client leaving out each connection's first answer (${run.p99AllMs} ms over every answer); the app's own histogram: ${appView}`);
    log(
      `rows      ${checked.redemptions} redemptions for ${tally.created + warmTally.created} redeemed answers; ${checked.redeemed_vouchers} vouchers redeemed; ` +
        `redeemed twice ${checked.twice}, redemption of a voucher not marked redeemed ${checked.not_flipped}, 201 without a row (ackedMissing) ${checked.ackedMissing}, ` +
        `voucher marked redeemed without a redemption ${checked.flipped_without_row}`,
    );
    const { ledger } = checked;
    log(
      `ledger    ${ledger.postings} postings; unbalanced by posting ${ledger.per_posting} fen, overall ${ledger.overall} fen, ` +
        `discounts vs merchant payables ${ledger.payable_gap} fen; city share vs budget:city ${ledger.city_gap} fen, ` +
        `district share vs budget:district:* ${ledger.district_gap} fen; redemptions without a posting ${ledger.unposted}`,
    );
    printResult(
      {
        redeemsPerSec: Math.round(redeemsPerSec),
        p99Ms: run.p99Ms,
        doubleRedeemed: checked.doubleRedeemed,
        ledgerImbalanceFen: checked.ledgerImbalanceFen,
        cpuUsPerRedemption: {
          app: perRedemption(cpu.app),
          redis: perRedemption(cpu.redis),
          postgres: perRedemption(cpu.postgres),
        },
        setup: { redis: CLUSTER ? 'cluster' : 'single' },
        ...(shortRun ? { short: true } : {}),
        ...(OTHER_CAMPAIGNS > 0 ? { otherCampaigns: OTHER_CAMPAIGNS } : {}),
        yardsticks,
        relative: {
          redeemsPerHttpHello: relativeRate(redeemsPerSec, yardsticks.httpHelloPerSec),
          redeemsPerPgInsertRow: relativeRate(redeemsPerSec, yardsticks.pgInsertRowsPerSec),
          redeemsPerRedisScriptCall: relativeRate(redeemsPerSec, yardsticks.redisScriptCallsPerSec),
          p99InHttpHellos: relativeTime(run.p99Ms / 1000, yardsticks.httpHelloPerSec),
        },
      },
      ['doubleRedeemed', 'ledgerImbalanceFen'],
    );
  } finally {
    redis.disconnect();
    await underTest.stop();
    await db.destroy();
    await bench.close();
  }
}

runBench(main);
