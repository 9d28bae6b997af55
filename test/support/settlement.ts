import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newPublicId } from '@vouchers/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TestingModule, Test } from '@nestjs/testing';
import { Role } from '@vouchers/auth';
import { AppConfig } from '@vouchers/config';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { JobSchedules } from '../../apps/settlement/src/jobs/job-schedules';
import { SettlementWorkerModule } from '../../apps/settlement/src/worker.module';
import { bootApp, testConfig } from './apps';
import { CheckoutRig, ledgerImbalance } from './checkout';
import { bearer, tokenFor } from './tokens';
import type { LineView } from '../../apps/settlement/src/batches/batch.view';

/** A settlement worker (BullMQ processors and schedules) in this process, on this run's services. */
export async function startWorker(): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [SettlementWorkerModule] })
    .overrideProvider(AppConfig)
    .useValue(testConfig())
    .compile();
  await moduleRef.init();
  // As a worker process, it registers the recurring jobs after its start: the tests read them.
  await moduleRef.get(JobSchedules).registered;
  return moduleRef;
}

export const financeOfficial = (sub?: string) => bearer(tokenFor({ role: Role.FinanceOfficial, ...(sub ? { sub } : {}) }));

/** A business day no other test uses: settlement builds take every redemption of their day. */
export async function unusedBusinessDay(db: DataSource): Promise<string> {
  for (;;) {
    const day = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 7000) * 86_400_000).toISOString().slice(0, 10);
    const [used] = await db.query(
      'SELECT 1 FROM redemptions WHERE business_date = $1 UNION ALL SELECT 1 FROM settlement_batches WHERE business_date = $1 LIMIT 1',
      [day],
    );
    if (!used) return day;
  }
}

/** Starts the day's build through the API and waits until the batch is no longer building. */
export async function settleDay(app: NestFastifyApplication, businessDate: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const started = await request(app.getHttpServer()).post('/v1/settlement/batches').set(financeOfficial()).send({ businessDate }).expect(202);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const batch = (await request(app.getHttpServer()).get(`/v1/settlement/batches/${started.body.id}`).set(financeOfficial()).expect(200)).body;
    if (batch.status !== 'building') return batch;
    if (Date.now() > deadline) throw new Error(`batch of ${businessDate} still building: ${JSON.stringify(batch.progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Gives this test file a Postgres database and a Redis key prefix of its own, by pointing
 * this file's process.env (jest gives each file its own copy) at them; call it before
 * anything boots or connects. A settlement build takes over every merchant's failed and
 * held lines, so the settlement test files, which leave such lines on purpose, must not share
 * a database with each other's builds (nor a BullMQ queue, whose job ids are database ids).
 * The prefix sits under the run's, which global teardown deletes. Returns the cleanup: drop
 * the database, once everything on it is closed.
 */
export async function isolateThisFile(options: { ownKeyPrefix?: boolean } = {}): Promise<() => Promise<void>> {
  const suffix = randomBytes(4).toString('hex');
  const database = `vt_iso_${suffix}`;
  const urlOf = (db: string) => Object.assign(new URL(process.env.TEST_SERVER_URL as string), { pathname: `/${db}` }).toString();
  const admin = new Client({ connectionString: urlOf('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  process.env.DATABASE_URL = urlOf(database);
  // Every file has a key prefix of its own already (test/own-key-prefix.cjs); a file whose helpers read it early keeps it.
  if (options.ownKeyPrefix !== false) process.env.REDIS_KEY_PREFIX = `${process.env.REDIS_KEY_PREFIX}iso-${suffix}:`;
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  };
}


/** A batch's lines (up to 200), by merchant public id. */
export async function linesOfBatch(app: NestFastifyApplication, batchId: string): Promise<Map<string, LineView>> {
  const page = (await request(app.getHttpServer()).get(`/v1/settlement/batches/${batchId}/lines?limit=200`).set(financeOfficial()).expect(200)).body;
  return new Map((page.items as LineView[]).map((line) => [line.merchantId, line]));
}

/** The line of a merchant among a batch's lines; throws when it has none. */
export function lineOfMerchant(lines: Map<string, LineView>, merchant: { merchantId: string }): LineView {
  const line = lines.get(merchant.merchantId);
  if (!line) throw new Error(`no line for merchant ${merchant.merchantId}`);
  return line;
}

/** Four eyes: one official submits the batch (复核), then `approver`, another, approves it (审批). */
export async function approveBatch(app: NestFastifyApplication, batchId: string, approver = newPublicId()): Promise<request.Response> {
  await request(app.getHttpServer()).post(`/v1/settlement/batches/${batchId}/submit`).set(financeOfficial()).expect(200);
  return request(app.getHttpServer()).post(`/v1/settlement/batches/${batchId}/approve`).set(financeOfficial(approver)).expect(200);
}

/**
 * A settlement test file over a CheckoutRig's apps: a database of the file's own (isolateThisFile:
 * builds take over every open failed line, so files must not share one), the rig started on it,
 * the settlement app and `workers` in-process workers; after each test the ledger balances; at the
 * end all is closed and the database dropped. Jest hooks: call it in the describe, then read the
 * app and the database from a beforeAll of the file's own.
 */
export function settlementOverTills(rig: CheckoutRig, workers = 1): { app: () => NestFastifyApplication; db: () => DataSource } {
  let settlement: NestFastifyApplication | undefined;
  let db: DataSource | undefined;
  let running: TestingModule[] = [];
  let dropDatabase: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    dropDatabase = await isolateThisFile();
    ({ db } = await rig.start());
    settlement = await bootApp('settlement');
    running = await Promise.all(Array.from({ length: workers }, () => startWorker()));
  });
  afterEach(async () => {
    expect(await ledgerImbalance(db as DataSource)).toBe(0);
  });
  afterAll(async () => {
    await Promise.all(running.map((worker) => worker.close()));
    await settlement?.close();
    await rig.stop();
    await dropDatabase?.();
  });
  return { app: () => settlement as NestFastifyApplication, db: () => db as DataSource };
}
