import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TestingModule, Test } from '@nestjs/testing';
import { Role } from '@vouchers/auth';
import { AppConfig } from '@vouchers/config';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SettlementWorkerModule } from '../../apps/settlement/src/worker.module';
import { testConfig } from './apps';
import { bearer, tokenFor } from './tokens';

/** A settlement worker (BullMQ processors and schedules) in this process, on this run's services. */
export async function startWorker(): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [SettlementWorkerModule] })
    .overrideProvider(AppConfig)
    .useValue(testConfig())
    .compile();
  await moduleRef.init();
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

