import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EligibilityIndex, eligibilityKeys } from '@vouchers/eligibility';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import request, { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { createActiveCampaign } from './support/campaigns';
import { checkoutCode, createTill } from './support/checkout';
import { openTestDatabase } from './support/database';
import { openTestRedis, TestRedis } from './support/merchant-accounts';
import { LogCapture } from './support/log-capture';
import { createVerifiedResidents } from './support/residents';
import { bearer } from './support/tokens';

const LOGGING = { LOG_LEVEL: 'info' };

/** Exactly one access line for the answer, carrying its request id, route, method, path, status and a duration. */
async function expectOneLine(capture: LogCapture, response: Response, route: string | null, app: string): Promise<void> {
  const requestId = response.headers['x-request-id'];
  expect(requestId).toEqual(expect.any(String));
  if (response.status >= 400) expect(response.body.requestId).toBe(requestId);
  const lines = await capture.linesOf(requestId);
  const path = new URL(response.request.url).pathname;
  expect(lines).toEqual([
    {
      level: 30,
      time: expect.any(Number),
      app,
      context: 'Access',
      requestId,
      method: response.request.method,
      route,
      path,
      status: response.status,
      durationMs: expect.any(Number),
      msg: 'request',
    },
  ]);
  expect(lines[0].durationMs).toBeGreaterThanOrEqual(0);
}

describe('access log', () => {
  let db: DataSource;
  let redis: TestRedis;

  beforeAll(async () => {
    db = await openTestDatabase();
    redis = openTestRedis();
  });

  afterAll(async () => {
    await db.destroy();
    redis.prefixed.disconnect();
    redis.raw.disconnect();
  });

  describe('a walk through the issuance and redemption apps', () => {
    const issuanceLog = new LogCapture();
    const redemptionLog = new LogCapture();
    let issuance: NestFastifyApplication;
    let redemption: NestFastifyApplication;

    beforeAll(async () => {
      [issuance, redemption] = await Promise.all([
        bootApp('issuance', LOGGING, { logTo: issuanceLog }),
        // Sampling grabs does not reach the till: a redemption moves money and is always logged.
        bootApp('redemption', { ...LOGGING, ACCESS_LOG_SAMPLE_GRABS: '0' }, { logTo: redemptionLog }),
      ]);
      await redis.prefixed.set(eligibilityKeys.loaded, '1');
    });

    afterAll(async () => {
      await Promise.all([issuance.close(), redemption.close()]);
    });

    it('logs every answer of Fastify routes once with its request id, route, status and duration', async () => {
      const server = issuance.getHttpServer();
      await expectOneLine(issuanceLog, await request(server).get('/v1/campaigns?limit=5').expect(200), '/v1/campaigns', 'issuance');
      const own = await request(server).get('/v1/campaigns?limit=5').set('x-request-id', `walk-${Date.now()}`).expect(200);
      expect(own.headers['x-request-id']).toMatch(/^walk-/);
      await expectOneLine(issuanceLog, own, '/v1/campaigns', 'issuance');
      await expectOneLine(issuanceLog, await request(server).get('/v1/campaigns?limit=5&sneaky=1').expect(400), '/v1/campaigns', 'issuance');
      await expectOneLine(issuanceLog, await request(server).get('/v1/me/vouchers').expect(401), '/v1/me/vouchers', 'issuance');
      await expectOneLine(issuanceLog, await request(server).get('/no/such/route').expect(404), null, 'issuance');
    });

    it('logs the raw routes too: grabs that succeed and fail, and a redemption', async () => {
      const campaign = await createActiveCampaign(issuance, { quantity: [5] });
      const [resident] = await createVerifiedResidents(db, 1);
      const grabs = `/v1/rounds/${campaign.rounds[0]}/claims`;
      const route = '/v1/rounds/:roundId/claims';
      const grabbed = await request(issuance.getHttpServer()).post(grabs).set(bearer(resident.token)).expect(201);
      await expectOneLine(issuanceLog, grabbed, route, 'issuance');
      await expectOneLine(issuanceLog, await request(issuance.getHttpServer()).post(grabs).expect(401), route, 'issuance');

      const till = await createTill(db, redemption.get(EligibilityIndex));
      const code = await checkoutCode(issuance, resident, grabbed.body.id);
      const scan = () =>
        request(redemption.getHttpServer())
          .post('/v1/redemptions')
          .set(bearer(till.cashierToken))
          .send({ code, orderAmountFen: 5000, merchantOrderNo: `POS-${process.pid}-${Date.now()}` });
      await expectOneLine(redemptionLog, await scan().expect(201), '/v1/redemptions', 'redemption');
      const replayed = await scan().expect(409);
      expect(replayed.body.code).toBe('CODE_REPLAYED');
      await expectOneLine(redemptionLog, replayed, '/v1/redemptions', 'redemption');
    });

    it('logs a request whose client leaves before the answer, as 499', async () => {
      await issuance.listen(0, '127.0.0.1');
      const { port } = issuance.getHttpServer().address() as AddressInfo;
      const requestId = `gone-${Date.now()}`;
      // Headers and part of a body: the request is under way when the client leaves.
      const gone = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/auth/otp',
        headers: { 'x-request-id': requestId, 'content-type': 'application/json', 'content-length': '100' },
      });
      gone.on('error', () => undefined);
      gone.write('{"phone":');
      await new Promise((resolve) => setTimeout(resolve, 200));
      gone.destroy();
      expect(await issuanceLog.linesOf(requestId)).toEqual([
        expect.objectContaining({ requestId, method: 'POST', route: '/v1/auth/otp', path: '/v1/auth/otp', status: 499, durationMs: null }),
      ]);
    });

    it('leaves out successful probes of /health and /metrics', async () => {
      const health = await request(issuance.getHttpServer()).get('/health').expect(200);
      expect(await issuanceLog.linesOf(health.headers['x-request-id'], 200)).toEqual([]);
    });
  });

  describe('with successful grabs sampled at 0', () => {
    const log = new LogCapture();
    let issuance: NestFastifyApplication;

    beforeAll(async () => {
      issuance = await bootApp('issuance', { ...LOGGING, ACCESS_LOG_SAMPLE_GRABS: '0' }, { logTo: log });
    });

    afterAll(async () => {
      await issuance.close();
    });

    it('logs no successful grab, every failed one, and every other request', async () => {
      const campaign = await createActiveCampaign(issuance, { quantity: [2] });
      const residents = await createVerifiedResidents(db, 3);
      const grabs = `/v1/rounds/${campaign.rounds[0]}/claims`;
      const route = '/v1/rounds/:roundId/claims';
      const server = issuance.getHttpServer();

      const succeeded: Response[] = [];
      for (const resident of residents.slice(0, 2)) succeeded.push(await request(server).post(grabs).set(bearer(resident.token)).expect(201));
      succeeded.push(await request(server).post(grabs).set(bearer(residents[0].token)).expect(200));
      const soldOut = await request(server).post(grabs).set(bearer(residents[2].token)).expect(409);
      expect(soldOut.body.code).toBe('SOLD_OUT');
      const refused = await request(server).post(grabs).expect(401);

      // A raw route writes its line before the answer leaves: none now is none at all.
      for (const response of succeeded) expect(await log.linesOf(response.headers['x-request-id'], 50)).toEqual([]);
      await expectOneLine(log, soldOut, route, 'issuance');
      await expectOneLine(log, refused, route, 'issuance');
      await expectOneLine(log, await request(server).get('/v1/campaigns?limit=5').expect(200), '/v1/campaigns', 'issuance');
      expect(log.accessLines().filter((line) => line.route === route).map((line) => line.status)).toEqual([409, 401]);
    });
  });
});
