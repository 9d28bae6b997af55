import { getQueueToken } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';
import { newPublicId } from '@vouchers/common';
import { MONTHS_AHEAD, shanghaiMonth } from '@vouchers/database';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { SETTLEMENT_QUEUE, SettlementJob } from '../apps/settlement/src/jobs/settlement-jobs';
import { openTestDatabase } from './support/database';
import { isolateThisFile, startWorker } from './support/settlement';

async function finished(queue: Queue, job: Job, timeoutMs = 20_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = await job.getState();
    if (state === 'completed') return (await Job.fromId(queue, job.id as string))?.returnvalue;
    if (state === 'failed') throw new Error(`job failed: ${(await Job.fromId(queue, job.id as string))?.failedReason}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('job did not finish in time');
}

describe('the settlement worker (BullMQ, no HTTP)', () => {
  let workers: TestingModule[] = [];
  let db: DataSource;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    // A database of its own: the unbalanced posting planted below (the ledger is append-only)
    // stays out of every other file's ledger checks.
    dropDatabase = await isolateThisFile();
    db = await openTestDatabase();
    // Two worker processes' worth of modules starting together.
    workers = await Promise.all([startWorker(), startWorker()]);
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await db.destroy();
    await dropDatabase();
  });

  it('registers each recurring job once however many workers start', async () => {
    const queue = workers[0].get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.name).sort()).toEqual([SettlementJob.CheckLedgerBalance, SettlementJob.SettleDay, SettlementJob.ExpireVouchers, SettlementJob.RecountFigures, SettlementJob.CloseFigures, SettlementJob.EnsurePartitions, SettlementJob.RemindExpiringVouchers, SettlementJob.NotifyLotteryWinners].sort());
    expect(schedulers.find((s) => s.name === SettlementJob.SettleDay)).toMatchObject({ pattern: '0 30 1 * * *', tz: 'Asia/Shanghai' });
    expect(schedulers.find((s) => s.name === SettlementJob.ExpireVouchers)).toMatchObject({ pattern: '0 15 * * * *', tz: 'Asia/Shanghai' });
    expect(schedulers.find((s) => s.name === SettlementJob.RecountFigures)).toMatchObject({ pattern: '0 0 3 * * *', tz: 'Asia/Shanghai' });
    expect(schedulers.find((s) => s.name === SettlementJob.CloseFigures)).toMatchObject({ pattern: '0 30 0 * * *', tz: 'Asia/Shanghai' });
    expect(schedulers.find((s) => s.name === SettlementJob.EnsurePartitions)).toMatchObject({ pattern: '0 15 2 * * *', tz: 'Asia/Shanghai' });
    expect(schedulers.find((s) => s.name === SettlementJob.RemindExpiringVouchers)).toMatchObject({ pattern: '0 0 10 * * *', tz: 'Asia/Shanghai' });
    expect(schedulers.find((s) => s.name === SettlementJob.NotifyLotteryWinners)).toMatchObject({ pattern: '0 */10 8-21 * * *', tz: 'Asia/Shanghai' });
  });

  it('makes the month partitions ahead of need (ensure-partitions)', async () => {
    const queue = workers[0].get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    const job = await queue.add(SettlementJob.EnsurePartitions, {});
    const report = (await finished(queue, job)) as { made: Record<string, number>; inDefault: Record<string, number> };
    expect(report.inDefault).toEqual({ redemptions: 0, ledger_entries: 0, audit_log: 0 });
    const ahead = shanghaiMonth(new Date(), MONTHS_AHEAD);
    const [row] = await db.query(`SELECT to_regclass($1) IS NOT NULL AS made`, [`redemptions_y${ahead.slice(0, 4)}m${ahead.slice(5, 7)}`]);
    expect(row.made).toBe(true);
  });

  it('runs the ledger balance check and names the posting that does not balance', async () => {
    const balanced = newPublicId();
    const broken = newPublicId();
    const ref = newPublicId();
    await db.query(
      `INSERT INTO ledger_entries (posting_id, account, debit_fen, credit_fen, ref_type, ref_id) VALUES
         ($1, 'budget:city', 1500, 0, 'test', $3), ($1, 'payable:merchant:x', 0, 1500, 'test', $3),
         ($2, 'budget:city', 700, 0, 'test', $3), ($2, 'payable:merchant:x', 0, 600, 'test', $3)`,
      [balanced, broken, ref],
    );
    const queue = workers[0].get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    const job = await queue.add(SettlementJob.CheckLedgerBalance, {});
    const report = (await finished(queue, job)) as { imbalanced: Array<{ postingId: string; differenceFen: number }> };
    expect(report.imbalanced).toEqual([{ postingId: broken, differenceFen: 100 }]);
  });

  it('fails a job nobody handles without retrying it', async () => {
    const queue = workers[0].get<Queue>(getQueueToken(SETTLEMENT_QUEUE));
    const job = await queue.add('no-such-job', {}, { attempts: 5 });
    await expect(finished(queue, job)).rejects.toThrow(/failed/);
    const failed = await Job.fromId(queue, job.id as string);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toContain('no handler for job no-such-job');
  });
});
