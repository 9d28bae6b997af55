import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { AppName } from '@vouchers/http';
import request from 'supertest';
import { bootApp } from './support/apps';
import { bearer, tokenFor } from './support/tokens';

const nested = (depth: number, inner = '"0"') => `{"phone":${'['.repeat(depth - 1)}${inner}${']'.repeat(depth - 1)}}`;

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

// The raw routes (grab, redeem) get the same hostile bodies in test/raw-routes, route by route.
