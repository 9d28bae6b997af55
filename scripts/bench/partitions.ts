/**
 * `npm run bench:partitions`: the reads the month partitions are for (docs/partitions.md), before
 * and after them on the same rows. Seeds MONTHS months of redemptions (DAYS days of each, PER_DAY
 * redemptions a day, with their vouchers and ledger postings: scripts/bench/settlement-day.ts)
 * on the schema before PartitionedHistory1796740000000, copies the database (CREATE DATABASE …
 * TEMPLATE), migrates the copy forward and vacuums it, then runs each read on both, alternated, REPEATS times,
 * and prints the median of Postgres's own planning and execution time (EXPLAIN ANALYZE: no
 * network, no client; a read of two statements, as the code after makes it, adds both) and how
 * many partitions of redemptions its run entered after. Invariants: `rowsLost` (redemptions the
 * migration did not carry), `keysMissing` (redemptions without their redemption_keys row) and
 * `keysMisdated` (redemptions whose key does not hold their business day).
 * `--short`: a fiftieth of the rows.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { BeforeAndAfter } from './before-after';
import { benchSetting, log, openBenchServices, printResult, runBench, shortRun } from './bench-kit';
import { seedSettlementDay } from './settlement-day';
import { measureYardsticks } from './yardsticks';

const MONTHS = benchSetting('BENCH_MONTHS', 12, 12);
const DAYS = benchSetting('BENCH_DAYS_A_MONTH', 2, 2);
const PER_DAY = benchSetting('BENCH_REDEMPTIONS_A_DAY', 50_000, 1_000);
const REPEATS = benchSetting('BENCH_REPEATS', 7, 3);
const PARTITIONING = 'PartitionedHistory1796740000000';

/**
 * The flows of days $1..$2 as FLOWS_OF_DAYS reads them (apps/settlement/src/reconciliation/flows.sql.ts;
 * scripts do not import apps), a refund's redemption read from `redemptions` (the schema before)
 * or from `redemption_keys` (after, as the code does).
 */
const flowsOfDays = (refunded: 'redemptions r ON r.id' | 'redemption_keys r ON r.redemption_id') => `
    SELECT r.business_date AS day, r.voucher_id, r.merchant_id, r.discount_fen
      FROM redemptions r
     WHERE r.business_date BETWEEN $1::date AND $2::date
    UNION ALL
    SELECT f.business_date, r.voucher_id, r.merchant_id, f.discount_reversed_fen
      FROM refunds f
      JOIN ${refunded} = f.redemption_id
      LEFT JOIN clawbacks c ON c.refund_id = f.id
     WHERE f.business_date BETWEEN $1::date AND $2::date`;

interface Statement {
  sql: string;
  params: (probe: Probe) => unknown[];
}

interface Read {
  name: string;
  before: Statement;
  /** The read as the code after the partitions makes it, when it differs: its statements in turn, their times added. */
  after?: Statement[];
}

/** The flows of the days `params` names, before and after. */
function flowsRead(name: string, params: Statement['params']): Read {
  const sql = (refunded: Parameters<typeof flowsOfDays>[0]) => `SELECT count(*), sum(discount_fen) FROM (${flowsOfDays(refunded)}) x`;
  return { name, before: { sql: sql('redemptions r ON r.id'), params }, after: [{ sql: sql('redemption_keys r ON r.redemption_id'), params }] };
}

interface Probe {
  day: string;
  monthFirst: string;
  monthLast: string;
  merchantId: string;
  orderNo: string;
  publicId: string;
  redemptionId: string;
}

const READS: Read[] = [
  // What a settlement build reads of its day (BUILD_CHUNK's `day`, every merchant in one chunk).
  {
    name: 'buildDay',
    before: {
      sql: `SELECT r.merchant_id, count(*), sum(r.discount_fen) FROM redemptions r
             WHERE r.business_date = $1::date AND r.settlement_line_id IS NULL GROUP BY r.merchant_id`,
      params: (p) => [p.day],
    },
  },
  // The reconciliation's and the recount's flows of one day, and of a month: a refund's redemption from its keys after.
  flowsRead('flowsDay', (p) => [p.day, p.day]),
  flowsRead('flowsMonth', (p) => [p.monthFirst, p.monthLast]),
  // A till's retry by order number: no date. After, the id and day from redemption_keys, then the row with its day bound (redemption-place.ts).
  {
    name: 'tillRetry',
    before: { sql: `SELECT id FROM redemptions WHERE merchant_id = $1 AND merchant_order_no = $2`, params: (p) => [p.merchantId, p.orderNo] },
    after: [
      { sql: `SELECT redemption_id, business_date FROM redemption_keys WHERE merchant_id = $1 AND merchant_order_no = $2`, params: (p) => [p.merchantId, p.orderNo] },
      { sql: `SELECT id FROM redemptions WHERE id = $1 AND business_date = $2::date`, params: (p) => [p.redemptionId, p.day] },
    ],
  },
  // A refund finds its redemption by public id: no date either. After, its id and day from redemption_keys, then the row.
  {
    name: 'refundLookup',
    before: { sql: `SELECT id, business_date FROM redemptions WHERE public_id = $1`, params: (p) => [p.publicId] },
    after: [
      { sql: `SELECT redemption_id, business_date FROM redemption_keys WHERE public_id = $1`, params: (p) => [p.publicId] },
      { sql: `SELECT id FROM redemptions WHERE public_id = $1 AND business_date = $2::date`, params: (p) => [p.publicId, p.day] },
    ],
  },
];

/** YYYY-MM-DD of day `d` (1-based) of the month `m` months before this one. */
function dayOf(monthsBack: number, d: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, d)).toISOString().slice(0, 10);
}

type Side = 'before' | 'after';

/** What a read runs on one side. */
const statementsOf = (read: Read, side: Side): Statement[] => (side === 'after' ? (read.after ?? [read.before]) : [read.before]);

async function timed(db: DataSource, read: Read, probe: Probe, side: Side): Promise<{ ms: number; partitions: number }> {
  let ms = 0;
  const relations = new Set<string>();
  for (const statement of statementsOf(read, side)) {
    const [{ 'QUERY PLAN': plan }] = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`, statement.params(probe));
    const walk = (node: Record<string, unknown>) => {
      const relation = node['Relation Name'];
      // Entered as it ran: a partition pruned by a value the statement read shows, never executed.
      if (typeof relation === 'string' && relation.startsWith('redemptions') && Number(node['Actual Loops']) > 0) relations.add(relation);
      for (const child of (node.Plans as Array<Record<string, unknown>>) ?? []) walk(child);
    };
    walk(plan[0].Plan);
    ms += plan[0]['Planning Time'] + plan[0]['Execution Time'];
  }
  return { ms, partitions: relations.size };
}

/** BENCH_EXPLAIN=1: how Postgres ran each statement of a read, before and after, in the log. */
async function explain(before: DataSource, after: DataSource, read: Read, probe: Probe): Promise<void> {
  for (const [side, db] of [['before', before], ['after', after]] as const) {
    for (const statement of statementsOf(read, side)) {
      const lines = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement.sql}`, statement.params(probe))) as Array<{ 'QUERY PLAN': string }>;
      log(`${read.name} ${side}:\n${lines.map((line) => line['QUERY PLAN']).join('\n')}`);
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const bench = await openBenchServices();
  // The migrations before PARTITIONING (PartitionedVouchers, after it, is migrated forward with it).
  const schemas = await BeforeAndAfter.start(bench, PARTITIONING);
  try {
    const seeding = await schemas.seeding();
    const yardsticks = await measureYardsticks(bench, ['pgScanRowsPerSec']);
    log(`seeding ${MONTHS} months × ${DAYS} days × ${PER_DAY} redemptions on the schema before ${PARTITIONING}`);
    const seedStarted = Date.now();
    for (let m = MONTHS - 1; m >= 0; m -= 1) {
      for (let d = 1; d <= DAYS; d += 1) await seedSettlementDay(seeding, { merchants: 200, redemptions: PER_DAY, businessDate: dayOf(m, 1 + ((d * 11) % 27)) });
    }
    await seeding.query('VACUUM ANALYZE');
    const [{ seeded }] = (await seeding.query('SELECT count(*)::int AS seeded FROM redemptions')) as Array<{ seeded: number }>;
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const day = dayOf(1, 1 + ((1 * 11) % 27));
    const [probe] = (await seeding.query(
      `SELECT $1::text AS day, date_trunc('month', $1::date)::date::text AS "monthFirst",
              (date_trunc('month', $1::date) + interval '1 month - 1 day')::date::text AS "monthLast",
              merchant_id::text AS "merchantId", merchant_order_no AS "orderNo", public_id::text AS "publicId",
              id::text AS "redemptionId"
         FROM redemptions WHERE business_date = $1::date ORDER BY id LIMIT 1`,
      [day],
    )) as Probe[];
    const { before, after, migrateSeconds } = await schemas.migrateCopy();
    // The seed was vacuumed before the copy; the migration rewrote every row into new partitions.
    // Vacuumed too, as autovacuum would soon after, so both sides are read as settled tables.
    await after.query('VACUUM ANALYZE');

    const [{ rows, keys, dated }] = (await after.query(
      `SELECT (SELECT count(*) FROM redemptions)::int AS rows, (SELECT count(*) FROM redemption_keys)::int AS keys,
              (SELECT count(*) FROM redemption_keys k JOIN redemptions r ON r.id = k.redemption_id AND r.business_date = k.business_date)::int AS dated`,
    )) as Array<{ rows: number; keys: number; dated: number }>;
    const timings: Record<string, { before: number[]; after: number[]; partitionsBefore: number; partitionsAfter: number }> = {};
    for (const read of READS) {
      timings[read.name] = { before: [], after: [], partitionsBefore: 0, partitionsAfter: 0 };
      // One unmeasured run each, then alternated.
      await timed(before, read, probe, 'before');
      await timed(after, read, probe, 'after');
      if (process.env.BENCH_EXPLAIN) await explain(before, after, read, probe);
      for (let i = 0; i < REPEATS; i += 1) {
        const pair = i % 2 === 0 ? ([['before', before], ['after', after]] as const) : ([['after', after], ['before', before]] as const);
        for (const [side, db] of pair) {
          const { ms, partitions } = await timed(db, read, probe, side);
          timings[read.name][side].push(ms);
          timings[read.name][side === 'before' ? 'partitionsBefore' : 'partitionsAfter'] = partitions;
        }
      }
      log(`${read.name}: before ${median(timings[read.name].before).toFixed(2)} ms, after ${median(timings[read.name].after).toFixed(2)} ms`);
    }
    const reads = Object.fromEntries(
      Object.entries(timings).map(([name, t]) => [
        name,
        { beforeMs: Number(median(t.before).toFixed(2)), afterMs: Number(median(t.after).toFixed(2)), partitionsRead: t.partitionsAfter },
      ]),
    );
    const [sizes] = (await after.query(
      `SELECT pg_total_relation_size('redemptions_y' || to_char($1::date, 'YYYY') || 'm' || to_char($1::date, 'MM'))::bigint AS month,
              (SELECT sum(pg_total_relation_size(inhrelid))::bigint FROM pg_inherits WHERE inhparent = 'redemptions'::regclass) AS all`,
      [day],
    )) as Array<{ month: string; all: string }>;
    printResult(
      {
        redemptions: rows,
        rowsLost: seeded - rows,
        keysMissing: rows - keys,
        keysMisdated: rows - dated,
        months: MONTHS,
        daysAMonth: DAYS,
        reads,
        monthShareOfRedemptionBytes: Number((Number(sizes.month) / Number(sizes.all)).toFixed(3)),
        seedSeconds,
        migrateSeconds,
        ...(shortRun ? { short: true } : {}),
        yardsticks,
      },
      ['rowsLost', 'keysMissing', 'keysMisdated'],
    );
  } finally {
    await schemas.close();
  }
}

runBench(main);
