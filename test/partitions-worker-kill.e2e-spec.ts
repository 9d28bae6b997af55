import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newPublicId } from '@vouchers/common';
import { MONTHS_AHEAD, shanghaiMonth } from '@vouchers/database';
import { Job, Queue } from 'bullmq';
import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SETTLEMENT_QUEUE, SettlementJob } from '../apps/settlement/src/jobs/settlement-jobs';
import { freePort } from '../scripts/chaos/private-redis';
import { bootApp } from './support/apps';
import { endSessionsBlockedBy, waitUntilBlockedBy } from './support/database';
import { isolateThisFile } from './support/settlement';
import { killProcess, startWorkerProcess, until } from './support/settlement-faults';

/**
 * The daily ensure-partitions job when its worker dies in the middle of making a month (the
 * process and its Postgres session): nothing of it stays, the month is made once by another
 * worker, which takes the stalled job up, and the row that waited in DEFAULT is moved once. A
 * database of its own: the test takes a month away.
 */
describe('ensure-partitions, its worker killed half-way', () => {
  let dropDatabase: () => Promise<void>;
  let settlement: NestFastifyApplication;
  let db: DataSource;

  beforeAll(async () => {
    dropDatabase = await isolateThisFile();
    settlement = await bootApp('settlement');
    db = settlement.get(DataSource);
  });

  afterAll(async () => {
    await settlement.close();
    await dropDatabase();
  });

  it('makes the month and moves its row exactly once, the job taken up by the next worker', async () => {
    // The last month the job makes, taken away (it is empty: it lies ahead).
    const month = shanghaiMonth(new Date(), MONTHS_AHEAD);
    const partition = `audit_log_y${month.slice(0, 4)}m${month.slice(5, 7)}`;
    await db.query(`ALTER TABLE audit_log DETACH PARTITION ${partition}`);
    await db.query(`DROP TABLE ${partition}`);
    const targetId = newPublicId();
    const insertRow = `INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, at)
                       VALUES ('test', 'system', 'test.partitions', 'test', $1, $2::date + time '12:00')`;

    const workers: ChildProcess[] = [];
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      // A row of that month arrives in DEFAULT and is not committed yet: the job, making the month, waits for it.
      await holder.query('BEGIN');
      await holder.query(insertRow, [targetId, `${month.slice(0, 8)}15`]);
      const doomed = startWorkerProcess();
      workers.push(doomed);
      const queue = settlement.get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
      const job = await queue.add(SettlementJob.EnsurePartitions, {});
      // The worker process boots first (Nest, Postgres, BullMQ): on a busy machine that takes more than 5 s.
      await waitUntilBlockedBy(db, holder, 1, 60_000);
      await killProcess(doomed);
      // Its session would finish the statement alone once the lock is free (Postgres does not look
      // for a dead client while it waits): ended too, as when the worker's machine is gone.
      expect(await endSessionsBlockedBy(db, holder)).toEqual([true]);
      await holder.query('COMMIT');

      // Another worker's stalled check takes the dead worker's job back.
      workers.push(startWorkerProcess({ SETTLEMENT_WORKER_PORT: String(await freePort()) }));
      const state = await until(
        'the job to finish',
        async () => {
          const now = await Job.fromId(queue, job.id as string).then((found) => found?.getState());
          return now === 'completed' || now === 'failed' ? now : undefined;
        },
        60_000,
        100,
      );
      expect(state).toBe('completed');
    } finally {
      await Promise.all(workers.map(killProcess));
      await holder.end();
    }

    // The month is attached, the row in it once, nothing of the month left in DEFAULT.
    const [attached] = await db.query(
      `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'audit_log'::regclass AND inhrelid = to_regclass($1)`,
      [partition],
    );
    expect(attached.n).toBe(1);
    expect(await db.query('SELECT tableoid::regclass::text AS partition FROM audit_log WHERE target_id = $1', [targetId])).toEqual([{ partition }]);
    const [left] = await db.query(`SELECT count(*)::int AS n FROM audit_log_default WHERE at >= $1::date AND at < $1::date + interval '1 month'`, [month]);
    expect(left.n).toBe(0);
  }, 120_000);
});
