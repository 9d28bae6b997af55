import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
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

    // Kill one worker while it holds jobs, once some chunks have committed.
    const doomedJobs = await until('the doomed worker to hold jobs part-way', async () => {
      const progress = await buildProgress(db, started.body.id);
      const held = (await queue.getActive()).filter((job) => job.processedBy === doomedName).map((job) => job.id as string);
      return progress.chunks_done >= 2 && held.length > 0 ? held : undefined;
    }, 60_000, 5);
    await killProcess(doomed);
    const killedAt = Date.now();
    const atKill = await buildProgress(db, started.body.id);
    expect(atKill.status).toBe('building');

    // Each job it held is moved back to the queue by the survivor's stalled check, within the bound
    // (or it had finished just before the kill).
    const recovered = await until("the dead worker's jobs to be back in the queue", async () => {
      const jobs = await Promise.all(doomedJobs.map((id) => Job.fromId(queue, id)));
      const states = await Promise.all(jobs.map((job) => job?.getState()));
      const back = jobs.filter((job) => job && job.stalledCounter > 0).length;
      const finishedBeforeKill = jobs.filter((job, i) => job && job.stalledCounter === 0 && states[i] === 'completed' && job.processedBy === doomedName).length;
      return back + finishedBeforeKill === jobs.length ? { at: Date.now(), back } : undefined;
    }, 30_000, POLL_MS);
    expect(recovered.back).toBeGreaterThanOrEqual(1);
    expect(recovered.at - killedAt).toBeLessThanOrEqual(bound + POLL_MS);

    const done = await until('the build to finish', async () => {
      const now = await buildProgress(db, started.body.id);
      return now.status === 'building' ? undefined : now;
    }, 60_000, 100);
    expect(done.status).toBe('pending_approval');
    await expectDaySettledExactly(db, day, started.body.id, { ...seeded, merchants: MERCHANTS, redemptions: REDEMPTIONS });
  }, 180_000);
});
