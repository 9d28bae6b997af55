import { TestingModule, Test } from '@nestjs/testing';
import { Role } from '@vouchers/auth';
import { AppConfig } from '@vouchers/config';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
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
