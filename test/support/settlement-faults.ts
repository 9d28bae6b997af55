import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SeededDay } from '../../scripts/bench/settlement-day';
import { ledgerImbalance } from './checkout';

const ROOT = join(__dirname, '../..');
const WORKER = join(ROOT, 'dist/apps/settlement/src/worker.js');

/** The real worker entry point (npm test builds first), on this run's services unless env says otherwise. */
export function startWorkerProcess(env: NodeJS.ProcessEnv = {}): ChildProcess {
  if (!existsSync(WORKER)) throw new Error('dist/ is missing: run the tests with `npm test`, which builds first');
  // TEST_WORKER_LOG=<file>: the workers' logs go there (appended), to see what a failing test's workers did.
  const log = process.env.TEST_WORKER_LOG ? openSync(process.env.TEST_WORKER_LOG, 'a') : 'ignore';
  return spawn(process.execPath, [WORKER], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', log, log] });
}

/** SIGKILL, and wait until the process is gone. */
export async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Polls until probe gives a value. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface BuildProgress {
  status: string;
  chunks_done: number;
  chunk_count: number;
}

export async function buildProgress(db: DataSource, batchPublicId: string): Promise<BuildProgress> {
  const [row] = await db.query('SELECT status, chunks_done, chunk_count FROM settlement_batches WHERE public_id = $1', [batchPublicId]);
  return row as BuildProgress;
}

/**
 * The day's batch as an uninterrupted build would have left it: one line per merchant, each
 * redemption of the day tied to exactly one line of this batch, every chunk recorded once,
 * the totals and the funding split exactly the seed's, each line the sum of its redemptions
 * (city + district = amount), and the ledger balanced.
 */
export async function expectDaySettledExactly(
  db: DataSource,
  day: string,
  batchPublicId: string,
  seeded: SeededDay & { merchants: number; redemptions: number },
): Promise<void> {
  const [tied] = await db.query(
    `SELECT count(*)::int AS redemptions, count(settlement_line_id)::int AS tied, count(DISTINCT settlement_line_id)::int AS lines,
            count(*) FILTER (WHERE l.batch_id <> b.id)::int AS elsewhere
       FROM redemptions r LEFT JOIN settlement_lines l ON l.id = r.settlement_line_id
       JOIN settlement_batches b ON b.public_id = $2
      WHERE r.business_date = $1`,
    [day, batchPublicId],
  );
  expect(tied).toEqual({ redemptions: seeded.redemptions, tied: seeded.redemptions, lines: seeded.merchants, elsewhere: 0 });
  const [batch] = await db.query(
    `SELECT status, line_count, redemption_count, total_fen::bigint AS total, chunks_done,
            (SELECT count(*)::int FROM settlement_chunks c WHERE c.batch_id = b.id) AS chunks, chunk_count
       FROM settlement_batches b WHERE public_id = $1`,
    [batchPublicId],
  );
  expect(batch).toEqual({
    status: 'pending_approval',
    line_count: seeded.merchants,
    redemption_count: seeded.redemptions,
    total: String(seeded.subsidyFen),
    chunks_done: batch.chunk_count,
    chunks: batch.chunk_count,
    chunk_count: batch.chunk_count,
  });
  const [split] = await db.query(
    `SELECT sum(city_fen)::bigint AS city, sum(district_fen)::bigint AS district
       FROM settlement_lines l JOIN settlement_batches b ON b.id = l.batch_id WHERE b.public_id = $1`,
    [batchPublicId],
  );
  expect(split).toEqual({ city: String(seeded.cityFen), district: String(seeded.districtFen) });
  // Line by line: each pays what its merchant's redemptions of the day discounted, split as they were.
  const wrongLines = await db.query(
    `SELECT l.public_id, l.amount_fen, l.city_fen, l.district_fen, l.redemption_count, r.n, r.discount, r.city, r.district
       FROM settlement_lines l JOIN settlement_batches b ON b.id = l.batch_id
       LEFT JOIN LATERAL (SELECT count(*)::int AS n, COALESCE(sum(discount_fen), 0) AS discount, COALESCE(sum(city_fen), 0) AS city, COALESCE(sum(district_fen), 0) AS district,
                                 count(*) FILTER (WHERE merchant_id <> l.merchant_id)::int AS foreign
                            FROM redemptions WHERE settlement_line_id = l.id) r ON true
      WHERE b.public_id = $1
        AND (l.amount_fen <> r.discount OR l.city_fen <> r.city OR l.district_fen <> r.district OR l.city_fen + l.district_fen <> l.amount_fen
             OR l.redemption_count <> r.n OR r.foreign > 0)
      LIMIT 5`,
    [batchPublicId],
  );
  expect(wrongLines).toEqual([]);
  expect(await ledgerImbalance(db)).toBe(0);
}
