import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Job, Queue } from 'bullmq';
import { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { buildJobIds } from '../apps/settlement/src/build/settlement-flow';
import { recoveryTiming } from '../apps/settlement/src/jobs/recovery-timing';
import { SETTLEMENT_QUEUE, SettlementJob } from '../apps/settlement/src/jobs/settlement-jobs';
import { seedSettlementDay } from '../scripts/bench/settlement-day';
import { PrivateRedis } from '../scripts/chaos/private-redis';
import { bootApp, testConfig } from './support/apps';
import { openTestDatabase } from './support/database';
import { financeOfficial, isolateThisFile, unusedBusinessDay } from './support/settlement';
import { buildProgress, expectDaySettledExactly, killProcess, startWorkerProcess, until } from './support/settlement-faults';

const MERCHANTS = 1_500;
const REDEMPTIONS = 45_000;
const POLL_MS = 50;
/** How long Redis stays down: long enough for the chunks running at the kill to commit with nowhere to report it. */
const OUTAGE_MS = 1_000;

describe('a settlement build whose Redis is killed half-way and comes back empty', () => {
  let redis: PrivateRedis;
  let db: DataSource;
  let settlement: NestFastifyApplication;
  const workers: ChildProcess[] = [];
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // A database of its own (its build must see exactly the day it seeded), and a Redis of its own to kill.
    dropDatabase = await isolateThisFile();
    redis = await PrivateRedis.startEmpty();
    [db, settlement] = await Promise.all([openTestDatabase(), bootApp('settlement', { REDIS_URL: redis.url })]);
  });

  afterAll(async () => {
    await Promise.all(workers.map(killProcess));
    await settlement?.close();
    await redis?.stop();
    await db?.destroy();
    await dropDatabase?.();
  });

  it('is resumed by the worker itself within JOB_LOCK_MS + 2 s of Redis answering, and completes exactly', async () => {
    const { redisRestartBoundMs: bound } = recoveryTiming(testConfig().jobLockMs);
    const day = await unusedBusinessDay(db);
    const seeded = await seedSettlementDay(db, { merchants: MERCHANTS, redemptions: REDEMPTIONS, businessDate: day });
    const queue = settlement.get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    workers.push(startWorkerProcess({ REDIS_URL: redis.url }));
    await until('the worker to be up', async () => ((await queue.getWorkers()).length >= 1 ? true : undefined), 60_000, 50);
    const startedAt = Date.now();
    const started = await request(settlement.getHttpServer()).post('/v1/settlement/batches').set(financeOfficial()).send({ businessDate: day }).expect(202);
    const [{ id: batchId }] = await db.query('SELECT id FROM settlement_batches WHERE public_id = $1', [started.body.id]);

    // Kill Redis once some chunks have committed and many have not; it comes back empty.
    const atKill = await until('the build to be part-way', async () => {
      const now = await buildProgress(db, started.body.id);
      return now.chunks_done >= 3 && now.chunks_done < now.chunk_count - 10 ? now : undefined;
    }, 60_000, 5);
    // The pace so far (worker start-up included, so generous): what one chunk may take after the restart.
    const chunkMs = (Date.now() - startedAt) / atKill.chunks_done;
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const beforeRestart = await buildProgress(db, started.body.id);
    // A fresh directory: it comes back empty.
    await redis.start();
    const backAt = Date.now();
    expect(beforeRestart.status).toBe('building');
    expect(beforeRestart.chunks_done).toBeLessThan(beforeRestart.chunk_count);

    // Nobody starts the day again: the worker's watchdog puts the build back from Postgres, and the schedules with it.
    const requeuedAt = await until('the build jobs to be back', async () => ((await Job.fromId(queue, buildJobIds.finish(batchId))) ? Date.now() : undefined), 30_000, POLL_MS);
    expect(requeuedAt - backAt).toBeLessThanOrEqual(bound + POLL_MS);
    const resumedAt = await until('a chunk to commit again', async () => {
      const now = await buildProgress(db, started.body.id);
      return now.chunks_done > beforeRestart.chunks_done || now.status !== 'building' ? Date.now() : undefined;
    }, 30_000, POLL_MS);
    const done = await until('the build to finish', async () => {
      const now = await buildProgress(db, started.body.id);
      return now.status === 'building' ? undefined : { ...now, at: Date.now() };
    }, 60_000, POLL_MS);
    // Running again within the bound; done within it and the time its remaining chunks take, at twice the pace before.
    expect(resumedAt - backAt).toBeLessThanOrEqual(bound + chunkMs);
    expect(done.at - backAt).toBeLessThanOrEqual(bound + 2 * chunkMs * (beforeRestart.chunk_count - beforeRestart.chunks_done));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.name).sort()).toEqual([SettlementJob.CheckLedgerBalance, SettlementJob.SettleDay, SettlementJob.ExpireVouchers, SettlementJob.RecountFigures, SettlementJob.CloseFigures, SettlementJob.EnsurePartitions, SettlementJob.RemindExpiringVouchers, SettlementJob.NotifyLotteryWinners].sort());

    expect(done.status).toBe('pending_approval');
    await expectDaySettledExactly(db, day, started.body.id, { ...seeded, merchants: MERCHANTS, redemptions: REDEMPTIONS });
  }, 180_000);
});
