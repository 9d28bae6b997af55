import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { holdDayForRefund } from '@vouchers/database';
import { Job, Queue } from 'bullmq';
import { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { recoveryTiming } from '../apps/settlement/src/jobs/recovery-timing';
import { SETTLEMENT_QUEUE } from '../apps/settlement/src/jobs/settlement-jobs';
import { workerNameOf } from '../apps/settlement/src/jobs/settlement.processor';
import { seedSettlementDay } from '../scripts/bench/settlement-day';
import { bootApp, testConfig } from './support/apps';
import { openTestDatabase } from './support/database';
import { financeOfficial, isolateThisFile, unusedBusinessDay } from './support/settlement';
import { buildProgress, expectDaySettledExactly, killProcess, startWorkerProcess, until } from './support/settlement-faults';

const MERCHANTS = 1_500;
const REDEMPTIONS = 45_000;
/** How often the test looks; what it measures may be late by this much. */
const POLL_MS = 50;

describe('a settlement build whose worker process is killed half-way', () => {
  let db: DataSource;
  let settlement: NestFastifyApplication;
  const workers: ChildProcess[] = [];
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // A database of its own: its build must see exactly the day it seeded, and no other file's open lines.
    dropDatabase = await isolateThisFile();
    [db, settlement] = await Promise.all([openTestDatabase(), bootApp('settlement')]);
  });

  afterAll(async () => {
    await Promise.all(workers.map(killProcess));
    await settlement.close();
    await db.destroy();
    await dropDatabase?.();
  });

  it("has the dead worker's jobs taken by the other within JOB_LOCK_MS, and completes: one batch, each redemption in exactly one line", async () => {
    const bound = recoveryTiming(testConfig().jobLockMs).workerDeathBoundMs;
    const day = await unusedBusinessDay(db);
    const seeded = await seedSettlementDay(db, { merchants: MERCHANTS, redemptions: REDEMPTIONS, businessDate: day });
    // Two workers; a job's processedBy names the worker process that took it last (host:pid).
    const [doomed, survivor] = [startWorkerProcess(), startWorkerProcess()];
    workers.push(doomed, survivor);
    const doomedName = workerNameOf(doomed.pid as number);
    const queue = settlement.get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    await until('both workers to be up', async () => ((await queue.getWorkers()).length >= 2 ? true : undefined), 60_000, 50);
    const started = await request(settlement.getHttpServer()).post('/v1/settlement/batches').set(financeOfficial()).send({ businessDate: day }).expect(202);

    // Kill one worker while it holds jobs, once some chunks have committed. Every chunk takes the
    // day's settlement lock shared as its first statement; holding it exclusively (as a refund
    // does) stops any chunk from committing, so the jobs the doomed worker holds once every active
    // chunk waits on it are certain to be still active when it dies.
    await until('some chunks to commit', async () => ((await buildProgress(db, started.body.id)).chunks_done >= 2 ? true : undefined), 60_000, 5);
    const refund = db.createQueryRunner();
    await refund.connect();
    await refund.startTransaction();
    await holdDayForRefund(refund.manager, day);
    const [{ pid: holder }]: Array<{ pid: number }> = await refund.query('SELECT pg_backend_pid() AS pid');
    const doomedJobs = await until('the doomed worker to hold jobs that wait on the lock', async () => {
      // Backends first, jobs second: a job whose chunk waits on the lock is still active when the
      // jobs are read, so no more active jobs than waiting backends means every active job waits.
      const [{ waiting }]: Array<{ waiting: number }> = await db.query(
        'SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND $1 = ANY(pg_blocking_pids(pid))',
        [holder],
      );
      const active = await queue.getActive();
      const held = active.filter((job) => job.processedBy === doomedName).map((job) => job.id as string);
      return held.length > 0 && active.length <= waiting ? held : undefined;
    }, 60_000, 5);
    await killProcess(doomed);
    const killedAt = Date.now();
    await refund.commitTransaction();
    await refund.release();
    const atKill = await buildProgress(db, started.body.id);
    expect(atKill.status).toBe('building');

    // Each job it held is moved back to the queue by the survivor's stalled check, within the bound.
    const recovered = await until("the dead worker's jobs to be back in the queue", async () => {
      const jobs = await Promise.all(doomedJobs.map((id) => Job.fromId(queue, id)));
      return jobs.every((job) => job && job.stalledCounter > 0) ? Date.now() : undefined;
    }, 30_000, POLL_MS);
    expect(recovered - killedAt).toBeLessThanOrEqual(bound + POLL_MS);

    const done = await until('the build to finish', async () => {
      const now = await buildProgress(db, started.body.id);
      return now.status === 'building' ? undefined : now;
    }, 60_000, 100);
    expect(done.status).toBe('pending_approval');
    await expectDaySettledExactly(db, day, started.body.id, { ...seeded, merchants: MERCHANTS, redemptions: REDEMPTIONS });
    // The seed spreads the day evenly: every merchant's line is an equal share of it, split as the seed split it.
    const share = (fen: number) => String(fen / MERCHANTS);
    const lineShapes = await db.query(
      `SELECT l.redemption_count AS redemptions, l.amount_fen::bigint AS amount, l.city_fen::bigint AS city, l.district_fen::bigint AS district,
              count(*)::int AS lines
         FROM settlement_lines l JOIN settlement_batches b ON b.id = l.batch_id WHERE b.public_id = $1
        GROUP BY 1, 2, 3, 4`,
      [started.body.id],
    );
    expect(lineShapes).toEqual([
      { redemptions: REDEMPTIONS / MERCHANTS, amount: share(seeded.subsidyFen), city: share(seeded.cityFen), district: share(seeded.districtFen), lines: MERCHANTS },
    ]);
  }, 180_000);
});
