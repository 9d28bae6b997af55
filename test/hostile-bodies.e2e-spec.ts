import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { AppName } from '@vouchers/http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { createActiveCampaign } from './support/campaigns';
import { openTestDatabase } from './support/database';
import { upload, Upload } from './support/raw-http';
import { createVerifiedResidents } from './support/residents';
import { bearer, tokenFor } from './support/tokens';

const nested = (depth: number, inner = '"0"') => `{"phone":${'['.repeat(depth - 1)}${inner}${']'.repeat(depth - 1)}}`;
const portOf = (app: NestFastifyApplication) => (app.getHttpServer().address() as AddressInfo).port;

/** For each app, a route served through Nest that takes a JSON body, and who may post to it. */
const JSON_ROUTES: Record<AppName, { path: string; headers: () => Record<string, string> }> = {
  issuance: { path: '/v1/auth/otp', headers: () => ({}) },
  merchant: { path: '/v1/merchant-auth/otp', headers: () => ({}) },
  redemption: {
    path: `/v1/redemptions/${newPublicId()}/refunds`,
    headers: () => bearer(tokenFor({ role: Role.MerchantAdmin, merchantId: newPublicId() })),
  },
  settlement: { path: '/v1/settlement/batches', headers: () => bearer(tokenFor({ role: Role.FinanceOfficial })) },
};

describe.each(Object.keys(JSON_ROUTES) as AppName[])('deeply nested JSON on the %s app', (name) => {
  let app: NestFastifyApplication;
  const route = JSON_ROUTES[name];
  const post = (body: string) =>
    request(app.getHttpServer()).post(route.path).set(route.headers()).set('content-type', 'application/json').send(body);

  beforeAll(async () => {
    app = await bootApp(name);
  });

  afterAll(async () => {
    await app.close();
  });

  it('refuses a body 5,000 deep (10 KB) with 400 BODY_TOO_COMPLEX, and still answers', async () => {
    const deep = nested(5000);
    expect(deep.length).toBeLessThan(11_000);
    const response = await post(deep);
    expect([response.status, response.body.code]).toEqual([400, 'BODY_TOO_COMPLEX']);
    expect(response.body.requestId).toEqual(expect.any(String));
    // A NUL deep inside was the crash: refused the same way, before anything walks it.
    expect((await post(nested(5000, '"\\u0000"'))).body.code).toBe('BODY_TOO_COMPLEX');
    await request(app.getHttpServer()).get('/health').expect(200);
  });

  it('refuses a body with more keys than any client sends', async () => {
    const keys = Array.from({ length: 5001 }, (_, i) => `"k${i}":0`).join(',');
    const response = await post(`{${keys}}`);
    expect([response.status, response.body.code]).toEqual([400, 'BODY_TOO_COMPLEX']);
  });

  it('reads a body at the depth limit as any other, to validation', async () => {
    const response = await post(nested(32));
    expect(response.status).toBe(400);
    expect(response.body.code).not.toBe('BODY_TOO_COMPLEX');
    expect(response.body.code).not.toBe('INTERNAL_ERROR');
  });
});

const TEN_MB = 10 * 1024 * 1024;
const PIECE = 'x'.repeat(64 * 1024);

/** A 10 MB upload to a raw route, 64 KB every 5 ms (about 0.8 s for the whole of it). */
const bigUpload = (port: number, path: string, headers: Record<string, string>, chunked: boolean): Upload => ({
  port,
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json', ...headers },
  piece: PIECE,
  everyMs: 5,
  totalBytes: TEN_MB,
  chunked,
  giveUpMs: 10_000,
});

describe('bodies sent to the grab (a raw route)', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let port: number;
  let roundId: string;

  beforeAll(async () => {
    app = await bootApp('issuance', { GRAB_LIMIT_PER_PERSON: '0' });
    await app.listen(0, '127.0.0.1');
    port = portOf(app);
    db = await openTestDatabase();
    [roundId] = (await createActiveCampaign(app, { quantity: [100] })).rounds;
  });

  afterAll(async () => {
    await db.destroy();
    await app.close();
  });

  const vouchersOf = async (residentId: string) =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM vouchers v JOIN residents r ON r.id = v.resident_id JOIN rounds o ON o.id = v.round_id
          WHERE r.public_id = $1 AND o.public_id = $2`,
        [residentId, roundId],
      )
    )[0].n as number;

  it.each([
    ['declared', false],
    ['chunked', true],
  ])('refuses a 10 MB body, %s, with 413 PAYLOAD_TOO_LARGE, without the grab', async (_how, chunked) => {
    const [resident] = await createVerifiedResidents(db, 1);
    const exchange = await upload(bigUpload(port, `/v1/rounds/${roundId}/claims`, bearer(resident.token), chunked));
    expect([exchange.status, exchange.body?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(exchange.finishedSending).toBe(false);
    expect(exchange.closedByServer).toBe(true);
    expect(await vouchersOf(resident.id)).toBe(0);
  });

  it.each([
    ['declared, no token', false, {}],
    ['chunked, no token', true, {}],
    ['declared, a forged token', false, bearer(tokenFor({ role: Role.Resident, verified: true }, { secret: 'x'.repeat(40) }))],
  ])('refuses a 10 MB body, %s, with 401 before reading it', async (_how, chunked, headers) => {
    const exchange = await upload(bigUpload(port, `/v1/rounds/${roundId}/claims`, headers, chunked));
    expect([exchange.status, exchange.body?.code]).toEqual([401, 'UNAUTHENTICATED']);
    // Answered and closed within a fraction of the upload: the server did not wait for the rest.
    expect(exchange.answeredAfterMs).toBeLessThan(400);
    expect(exchange.finishedSending).toBe(false);
    expect(exchange.closedByServer).toBe(true);
  });

  it('still grabs with a small body, which it ignores', async () => {
    const [resident] = await createVerifiedResidents(db, 1);
    const response = await request(app.getHttpServer())
      .post(`/v1/rounds/${roundId}/claims`)
      .set(bearer(resident.token))
      .set('content-type', 'application/json')
      .send('{"note":"ignored"}');
    expect(response.status).toBe(201);
    expect(await vouchersOf(resident.id)).toBe(1);
  });
});

describe("bodies sent to the till's redemption (a raw route)", () => {
  let app: NestFastifyApplication;
  let port: number;
  const cashier = () => bearer(tokenFor({ role: Role.MerchantStaff, merchantId: newPublicId() }));

  beforeAll(async () => {
    app = await bootApp('redemption');
    await app.listen(0, '127.0.0.1');
    port = portOf(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['declared', false],
    ['chunked', true],
  ])('refuses a 10 MB body without a token, %s, with 401 before reading it', async (_how, chunked) => {
    const exchange = await upload(bigUpload(port, '/v1/redemptions', {}, chunked));
    expect([exchange.status, exchange.body?.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(exchange.answeredAfterMs).toBeLessThan(400);
    expect(exchange.finishedSending).toBe(false);
    expect(exchange.closedByServer).toBe(true);
  });

  it('refuses a cashier 10 MB chunked with 413 and closes, without reading the rest', async () => {
    const exchange = await upload(bigUpload(port, '/v1/redemptions', cashier(), true));
    expect([exchange.status, exchange.body?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(exchange.finishedSending).toBe(false);
    expect(exchange.closedByServer).toBe(true);
  });

  it('refuses a deeply nested body with 400 BODY_TOO_COMPLEX', async () => {
    const response = await request(app.getHttpServer())
      .post('/v1/redemptions')
      .set(cashier())
      .set('content-type', 'application/json')
      .send(`{"code":${'['.repeat(4000)}${']'.repeat(4000)}}`);
    expect([response.status, response.body.code]).toEqual([400, 'BODY_TOO_COMPLEX']);
  });
});
