import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newPublicId } from '@vouchers/common';
import { Job, Queue } from 'bullmq';
import { ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import { SETTLEMENT_QUEUE, SettlementJob } from '../apps/settlement/src/jobs/settlement-jobs';
import { seedSettlementDay } from '../scripts/bench/settlement-day';
import { bootApp } from './support/apps';
import { openTestDatabase } from './support/database';
import { freePort, PrivateRedis } from '../scripts/chaos/private-redis';
import { isolateThisFile, settleDay, unusedBusinessDay } from './support/settlement';
import { killProcess, startWorkerProcess, until } from './support/settlement-faults';

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
function sampleOf(metrics: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = metrics
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found.length === 0 ? undefined : Number(found[0].slice(found[0].lastIndexOf(' ') + 1));
}

/** A worker process with its probes on a port of the test's choosing; resolves once /health answers. */
async function startWatchedWorker(env: NodeJS.ProcessEnv = {}): Promise<{ worker: ChildProcess; base: string }> {
  const port = await freePort();
  const worker = startWorkerProcess({ ...env, SETTLEMENT_WORKER_PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  await until('the worker to answer /health', () => fetch(`${base}/health`).then(() => true, () => undefined), 60_000, 100);
  return { worker, base };
}

describe('the settlement worker process, watched over its own port', () => {
  let db: DataSource;
  let settlement: NestFastifyApplication;
  let queue: Queue;
  let dropDatabase: () => Promise<void>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // A database of its own: the imbalance planted below must be the whole ledger's, and stays out of other files'.
    dropDatabase = await isolateThisFile();
    [db, settlement] = await Promise.all([openTestDatabase(), bootApp('settlement')]);
    queue = settlement.get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
  });

  afterAll(async () => {
    await Promise.all(workers.map(killProcess));
    await settlement.close();
    await db.destroy();
    await dropDatabase();
  });

  it('reports queue depth, the last build and the ledger imbalance in fen on /metrics, and Postgres and Redis on /health', async () => {
    const { worker, base } = await startWatchedWorker();
    workers.push(worker);
    const metrics = async () => {
      const response = await fetch(`${base}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      return response.text();
    };

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
    expect((await fetch(`${base}/v1/settlement/batches`)).status).toBe(404);

    let text = await metrics();
    expect(sampleOf(text, 'settlement_last_build_duration_seconds')).toBeUndefined();
    expect(sampleOf(text, 'settlement_jobs_stalled_total')).toBe(0);
    // The recurring jobs' next runs wait in the queue as delayed jobs.
    expect(sampleOf(text, 'settlement_queue_jobs', { queue: SETTLEMENT_QUEUE, state: 'delayed' })).toBeGreaterThanOrEqual(1);
    for (const state of ['waiting', 'active', 'failed']) expect(sampleOf(text, 'settlement_queue_jobs', { queue: SETTLEMENT_QUEUE, state })).toBe(0);

    // A build: its duration is the batch's, from opening to its last chunk.
    const day = await unusedBusinessDay(db);
    await seedSettlementDay(db, { merchants: 200, redemptions: 2_000, businessDate: day });
    const startedAt = Date.now();
    expect((await settleDay(settlement, day)).status).toBe('pending_approval');
    const tookMs = Date.now() - startedAt;
    text = await metrics();
    const duration = sampleOf(text, 'settlement_last_build_duration_seconds', { business_date: day }) as number;
    const [{ seconds }] = await db.query(
      'SELECT extract(epoch FROM built_at - created_at)::float8 AS seconds FROM settlement_batches WHERE business_date = $1',
      [day],
    );
    expect(duration).toBeGreaterThan(0);
    expect(duration).toBeLessThanOrEqual(tookMs / 1000);
    // The gauge reads the batch's times through TypeORM's Date, to the millisecond.
    expect(Math.abs(duration - seconds)).toBeLessThan(0.001);

    // Two postings that do not balance, by 60 fen one way and 30 the other: the gauge is their sum.
    const ref = newPublicId();
    const [short, long] = [newPublicId(), newPublicId()];
    await db.query(
      `INSERT INTO ledger_entries (posting_id, account, debit_fen, credit_fen, ref_type, ref_id) VALUES
         ($1, 'budget:city', 700, 0, 'test', $3), ($1, 'payable:merchant:x', 0, 640, 'test', $3),
         ($2, 'budget:city', 500, 0, 'test', $3), ($2, 'payable:merchant:x', 0, 530, 'test', $3)`,
      [short, long, ref],
    );
    const checkedAfter = Date.now() / 1000;
    const check = await queue.add(SettlementJob.CheckLedgerBalance, {});
    await until('the ledger check to run', async () => ((await check.getState()) === 'completed' ? true : undefined), 30_000, 50);
    expect((await Job.fromId(queue, check.id as string))?.returnvalue).toMatchObject({ imbalanceFen: 90, imbalancedPostings: 2 });
    text = await metrics();
    expect(sampleOf(text, 'settlement_ledger_imbalance_fen')).toBe(90);
    expect(sampleOf(text, 'settlement_ledger_imbalanced_postings')).toBe(2);
    expect(sampleOf(text, 'settlement_ledger_checked_timestamp_seconds')).toBeGreaterThanOrEqual(Math.floor(checkedAfter));
  }, 120_000);

  it('started while its Redis is down, it listens and says so (503 naming Redis), then registers the recurring jobs once Redis is up', async () => {
    const redis = await PrivateRedis.startEmpty();
    const queue = new Queue(SETTLEMENT_QUEUE, { connection: { host: '127.0.0.1', port: Number(new URL(redis.url).port) }, prefix: `${process.env.REDIS_KEY_PREFIX ?? ''}{bull}` });
    queue.on('error', () => undefined);
    try {
      await redis.kill();
      const { worker, base } = await startWatchedWorker({ REDIS_URL: redis.url });
      workers.push(worker);
      const response = await fetch(`${base}/health`);
      expect([response.status, await response.json()]).toEqual([503, { status: 'down', checks: { postgres: 'up', redis: 'down' } }]);
      await redis.start();
      await until('/health to answer 200', async () => ((await fetch(`${base}/health`)).status === 200 ? true : undefined), 20_000, 100);
      const names = await until('the recurring jobs to be registered', async () => {
        const schedulers = await queue.getJobSchedulers();
        return schedulers.length === 8 ? schedulers.map((one) => one.name).sort() : undefined;
      }, 20_000, 200);
      expect(names).toEqual([SettlementJob.CheckLedgerBalance, SettlementJob.SettleDay, SettlementJob.ExpireVouchers, SettlementJob.RecountFigures, SettlementJob.CloseFigures, SettlementJob.EnsurePartitions, SettlementJob.RemindExpiringVouchers, SettlementJob.NotifyLotteryWinners].sort());
    } finally {
      await queue.close();
      await redis.stop();
    }
  }, 90_000);

  it('answers /health 503 naming Redis while its Redis is down', async () => {
    const redis = await PrivateRedis.startEmpty();
    try {
      const { worker, base } = await startWatchedWorker({ REDIS_URL: redis.url });
      workers.push(worker);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      await redis.kill();
      const down = await until('/health to say Redis is down', async () => {
        const response = await fetch(`${base}/health`);
        return response.status === 503 ? response.json() : undefined;
      }, 10_000, 100);
      expect(down).toEqual({ status: 'down', checks: { postgres: 'up', redis: 'down' } });
      // /metrics still answers, without the queue's figures it cannot read.
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(sampleOf(await metrics.text(), 'settlement_queue_jobs', { state: 'waiting' })).toBeUndefined();
    } finally {
      await redis.stop();
    }
  }, 90_000);
});
