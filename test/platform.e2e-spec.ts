import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { AppName } from '@vouchers/http';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { insertMerchantWithStaff } from './support/merchant-accounts';
import { bearer, tokenFor } from './support/tokens';

let cashierToken: string;

/** For each app, one listing that takes a validated query, and a token that may read it. */
const LISTINGS: Record<AppName, { path: string; token: () => Record<string, string> }> = {
  issuance: { path: '/v1/campaigns', token: () => ({}) },
  merchant: { path: '/v1/merchants', token: () => bearer(tokenFor({ role: Role.CommerceOfficial })) },
  // A cashier whose staff row exists: merchant-side routes read it (beforeAll below).
  redemption: { path: '/v1/redemptions', token: () => bearer(cashierToken) },
  settlement: { path: '/v1/settlement/batches', token: () => bearer(tokenFor({ role: Role.FinanceOfficial })) },
};

describe.each(Object.keys(LISTINGS) as AppName[])('the %s app', (name) => {
  let app: NestFastifyApplication;
  const listing = LISTINGS[name];

  beforeAll(async () => {
    app = await bootApp(name);
    if (name === 'redemption') cashierToken = (await insertMerchantWithStaff(app.get(DataSource))).cashierToken;
  });

  afterAll(async () => {
    await app.close();
  });

  it('reports Postgres and Redis up on /health', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
  });

  it('answers its listing with a first page', async () => {
    const response = await request(app.getHttpServer()).get(`${listing.path}?limit=5`).set(listing.token()).expect(200);
    expect(response.body).toEqual({ items: expect.any(Array), nextCursor: response.body.items.length === 5 ? expect.any(String) : null });
    expect(response.body.items.length).toBeLessThanOrEqual(5);
  });

  it('rejects an unknown field with 400 VALIDATION_FAILED and a request id', async () => {
    const response = await request(app.getHttpServer())
      .get(`${listing.path}?limit=5&sneaky=1`)
      .set(listing.token())
      .expect(400);
    expect(response.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('sneaky'),
      requestId: expect.any(String),
      details: { problems: ['property sneaky should not exist'] },
    });
    expect(response.headers['x-request-id']).toBe(response.body.requestId);
  });

  it('rejects an out-of-range or non-decimal limit and a forged cursor', async () => {
    // Out of range, and numbers written other than in decimal digits (Number() read 0x10 as 16).
    for (const limit of ['5000', '0', '0x10', '1e1', '%205', '2.5', '-3']) {
      const refused = await request(app.getHttpServer()).get(`${listing.path}?limit=${limit}`).set(listing.token());
      expect([limit, refused.status, refused.body.code]).toEqual([limit, 400, 'VALIDATION_FAILED']);
    }
    await request(app.getHttpServer()).get(`${listing.path}?limit=016`).set(listing.token()).expect(200);
    for (const key of [['not', 'ours'], ['abc'], ['9999-99-99'], [7]]) {
      const forged = Buffer.from(JSON.stringify(key)).toString('base64url');
      const cursor = await request(app.getHttpServer()).get(`${listing.path}?cursor=${forged}`).set(listing.token()).expect(400);
      expect(cursor.body.code).toBe('INVALID_CURSOR');
    }
  });

  it('answers an unknown route with 404 in the same error shape', async () => {
    const response = await request(app.getHttpServer()).get('/no/such/route').expect(404);
    expect(response.body).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'No such route', requestId: expect.any(String) });
  });

  it('answers a path whose percent escape does not decode with 400 MALFORMED_REQUEST in the same error shape', async () => {
    const response = await request(app.getHttpServer()).get(`${listing.path.split('?')[0]}/%E0%A4%A`).set(listing.token()).expect(400);
    expect(response.body).toEqual({ code: 'MALFORMED_REQUEST', message: expect.any(String), requestId: expect.any(String) });
    expect(response.headers['x-request-id']).toBe(response.body.requestId);
  });

  it('answers a malformed JSON body with 400, not 500', async () => {
    // With a token that may post there: the till's raw route refuses a caller before reading the body.
    const response = await request(app.getHttpServer())
      .post(listing.path)
      .set(listing.token())
      .set('content-type', 'application/json')
      .send('{"broken":')
      .expect(400);
    expect(response.body).toEqual({ code: 'MALFORMED_REQUEST', message: expect.any(String), requestId: expect.any(String) });
  });

  it('keeps a sane caller request id and replaces an unsafe one', async () => {
    const kept = await request(app.getHttpServer()).get('/no/such/route').set('x-request-id', 'till-42.abc').expect(404);
    expect(kept.body.requestId).toBe('till-42.abc');
    const replaced = await request(app.getHttpServer()).get('/no/such/route').set('x-request-id', 'x'.repeat(200)).expect(404);
    expect(replaced.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves Prometheus metrics that count requests by route template', async () => {
    await request(app.getHttpServer()).get('/health').expect(200);
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toContain(`http_request_duration_seconds_count{app="${name}",method="GET",route="/health",status="200"}`);
    expect(response.text).toContain('process_cpu_user_seconds_total');
  });

  it('serves its OpenAPI document at /docs', async () => {
    const page = await request(app.getHttpServer()).get('/docs').expect(200);
    expect(page.text).toContain('swagger');
    const document = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/health', listing.path]));
    const parameters = (document.body.paths[listing.path].get.parameters as Array<{ name: string; in: string }>).map((p) => `${p.in}:${p.name}`);
    expect(parameters).toEqual(expect.arrayContaining(['query:limit', 'query:cursor']));
    // Which zone the times are in, said where a front-end developer starts reading.
    expect(document.body.info.description).toContain('Every date-time in an answer, JSON or CSV, is in UTC');
  });
});

describe.each(Object.keys(LISTINGS) as AppName[])('the %s app with Redis unreachable', (name) => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    // Port 1 on loopback: nothing listens, so every connection attempt is refused.
    app = await bootApp(name, { REDIS_URL: 'redis://127.0.0.1:1' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('reports Redis down on /health with 503', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toEqual({ status: 'down', checks: { postgres: 'up', redis: 'down' } });
  });
});
