import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { AppName } from '@vouchers/http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { bootApp } from './support/apps';
import { upload } from './support/raw-http';
import { bearer, tokenFor } from './support/tokens';

/** Small bounds, so a slow client is cut off within a couple of seconds. */
const HEADERS_MS = 1000;
const REQUEST_MS = 1500;
/** Node looks for expired connections once a second (raw-server.ts): an answer may come that much after the bound. */
const CHECK_MS = 1000;
const SLACK_MS = 700;

/** For each app, a route through Nest and the raw routes below Fastify, each taking a body. */
const ROUTES: Record<AppName, Array<{ path: string; headers: () => Record<string, string> }>> = {
  issuance: [
    { path: '/v1/auth/otp', headers: () => ({}) },
    { path: `/v1/rounds/${newPublicId()}/claims`, headers: () => bearer(tokenFor({ role: Role.Resident, verified: true })) },
    { path: `/v1/rounds/${newPublicId()}/entries`, headers: () => bearer(tokenFor({ role: Role.Resident, verified: true })) },
  ],
  merchant: [{ path: '/v1/merchant-auth/otp', headers: () => ({}) }],
  redemption: [
    { path: `/v1/redemptions/${newPublicId()}/refunds`, headers: () => bearer(tokenFor({ role: Role.MerchantAdmin, merchantId: newPublicId() })) },
    { path: '/v1/redemptions', headers: () => bearer(tokenFor({ role: Role.MerchantStaff, merchantId: newPublicId() })) },
  ],
  settlement: [{ path: '/v1/settlement/batches', headers: () => bearer(tokenFor({ role: Role.FinanceOfficial })) }],
};

describe.each(Object.keys(ROUTES) as AppName[])('slow clients of the %s app', (name) => {
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    app = await bootApp(name, { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS) });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(ROUTES[name].map((route) => [route.path, route] as const))(
    'cuts off a body sent a byte every 100 ms to %s with 408 REQUEST_TIMEOUT within the bound',
    async (_path, route) => {
      const exchange = await upload({
        port,
        method: 'POST',
        path: route.path,
        headers: { 'content-type': 'application/json', ...route.headers() },
        piece: ' ',
        everyMs: 100,
        totalBytes: 1000,
        giveUpMs: 10_000,
      });
      expect([exchange.status, exchange.body?.code]).toEqual([408, 'REQUEST_TIMEOUT']);
      expect(exchange.headers['x-request-id']).toBe(exchange.body?.requestId);
      expect(exchange.closedByServer).toBe(true);
      expect(exchange.answeredAfterMs).toBeGreaterThanOrEqual(REQUEST_MS - 100);
      expect(exchange.answeredAfterMs).toBeLessThan(REQUEST_MS + CHECK_MS + SLACK_MS);
    },
  );

  it('cuts off headers sent a byte every 100 ms with 408 within the header bound', async () => {
    const exchange = await upload({
      port,
      method: 'GET',
      path: '/health',
      headers: {},
      piece: '',
      everyMs: 100,
      totalBytes: 0,
      slowHeaders: true,
      giveUpMs: 10_000,
    });
    expect([exchange.status, exchange.body?.code]).toEqual([408, 'REQUEST_TIMEOUT']);
    expect(exchange.closedByServer).toBe(true);
    expect(exchange.answeredAfterMs).toBeLessThan(HEADERS_MS + CHECK_MS + SLACK_MS);
  });

  it('answers headers larger than node reads with 431 HEADERS_TOO_LARGE, as catalogued', async () => {
    const exchange = await upload({
      port,
      method: 'GET',
      path: '/health',
      // Past node's 16 KB of headers.
      headers: { 'x-padding': 'a'.repeat(20_000) },
      piece: '',
      everyMs: 100,
      totalBytes: 0,
      giveUpMs: 10_000,
    });
    expect([exchange.status, exchange.body?.code]).toEqual([431, 'HEADERS_TOO_LARGE']);
    expect(exchange.headers['x-request-id']).toBe(exchange.body?.requestId);
    expect(exchange.closedByServer).toBe(true);
  });

  it('still answers everyone else', async () => {
    await request(app.getHttpServer()).get('/health').expect(200);
  });
});
