import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { seedSettlementDay } from '../scripts/bench/settlement-day';
import { bootApp } from './support/apps';
import { ledgerImbalance } from './support/checkout';
import { openTestDatabase } from './support/database';
import { financeOfficial, isolateThisFile, unusedBusinessDay } from './support/settlement';

const ROOT = join(__dirname, '..');
const WORKER = join(ROOT, 'dist/apps/settlement/src/worker.js');
const MERCHANTS = 1_500;
const REDEMPTIONS = 45_000;

/** The real worker entry point (npm test builds first), on this run's services. */
function startWorkerProcess(): ChildProcess {
  return spawn(process.execPath, [WORKER], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: 'ignore' });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

describe('a settlement build whose worker process is killed half-way', () => {
  let db: DataSource;
  let settlement: NestFastifyApplication;
  const workers: ChildProcess[] = [];
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error('dist/ is missing: run the tests with `npm test`, which builds first');
    // A database of its own: its build must see exactly the day it seeded, and no other file's open lines.
    dropDatabase = await isolateThisFile();
    [db, settlement] = await Promise.all([openTestDatabase(), bootApp('settlement')]);
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await settlement.close();
    await db.destroy();
    await dropDatabase?.();
  });

  it('is completed by the retried jobs: one batch, each redemption in exactly one line', async () => {
    const day = await unusedBusinessDay(db);
    const seeded = await seedSettlementDay(db, { merchants: MERCHANTS, redemptions: REDEMPTIONS, businessDate: day });
    const first = startWorkerProcess();
    workers.push(first);
    const started = await request(settlement.getHttpServer()).post('/v1/settlement/batches').set(financeOfficial()).send({ businessDate: day }).expect(202);
    const progress = async () => {
      const [row] = await db.query('SELECT status, chunks_done, chunk_count FROM settlement_batches WHERE public_id = $1', [started.body.id]);
      return row as { status: string; chunks_done: number; chunk_count: number };
    };
    // Kill it once some chunks have committed and others have not.
    const atKill = await until('the build to be part-way', async () => {
      const now = await progress();
      return now.chunks_done >= 2 && now.chunks_done < now.chunk_count - 2 ? now : undefined;
    }, 60_000, 5);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const afterKill = await progress();
    expect(afterKill.status).toBe('building');
    expect(afterKill.chunks_done).toBeLessThan(afterKill.chunk_count);
    expect(atKill.chunks_done).toBeGreaterThanOrEqual(2);

    workers.push(startWorkerProcess());
    const done = await until('the build to finish', async () => {
      const now = await progress();
      return now.status === 'building' ? undefined : now;
    }, 90_000, 200);
    expect(done).toMatchObject({ status: 'pending_approval' });
    expect(done.chunks_done).toBe(done.chunk_count);

    const [tied] = await db.query(
      `SELECT count(*)::int AS redemptions, count(settlement_line_id)::int AS tied, count(DISTINCT settlement_line_id)::int AS lines
         FROM redemptions WHERE business_date = $1`,
      [day],
    );
    expect(tied).toEqual({ redemptions: REDEMPTIONS, tied: REDEMPTIONS, lines: MERCHANTS });
    const [lines] = await db.query(
      `SELECT count(*)::int AS lines, sum(l.redemption_count)::int AS counted, sum(l.amount_fen)::bigint AS amount,
              sum(l.city_fen)::bigint AS city, sum(l.district_fen)::bigint AS district,
              count(DISTINCT l.merchant_id)::int AS merchants, count(*) FILTER (WHERE l.batch_id <> b.id)::int AS elsewhere
         FROM settlement_lines l JOIN redemptions r ON r.settlement_line_id = l.id AND r.business_date = $1
         JOIN settlement_batches b ON b.public_id = $2
        GROUP BY b.id`,
      [day, started.body.id],
    );
    expect(lines).toBeDefined();
    const [batch] = await db.query(
      `SELECT line_count, redemption_count, total_fen::bigint AS total,
              (SELECT count(*)::int FROM settlement_chunks c WHERE c.batch_id = b.id) AS chunks
         FROM settlement_batches b WHERE public_id = $1`,
      [started.body.id],
    );
    expect(batch).toEqual({ line_count: MERCHANTS, redemption_count: REDEMPTIONS, total: String(seeded.subsidyFen), chunks: done.chunk_count });
    const [split] = await db.query(
      'SELECT sum(city_fen)::bigint AS city, sum(district_fen)::bigint AS district FROM settlement_lines l JOIN settlement_batches b ON b.id = l.batch_id WHERE b.public_id = $1',
      [started.body.id],
    );
    expect(split).toEqual({ city: String(seeded.cityFen), district: String(seeded.districtFen) });
    expect(await ledgerImbalance(db)).toBe(0);
  }, 180_000);
});
