import type { HttpAdapterHost } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '@vouchers/config';
import type { AddressInfo } from 'node:net';
import { AccessLog } from './access-log';
import { MetricsService } from './metrics.service';
import { RAW_ROUTE_LIST, RawRoute, RawRoutes } from './raw-routes';
import { PlatformAdapter } from './raw-server';

const TIMEOUTS = { httpHeadersTimeoutMs: 10_000, httpRequestTimeoutMs: 30_000, httpKeepAliveTimeoutMs: 5_000 };

function rawRoutes(options: { lines?: string[]; accessLogSampleGrabs?: number; adapter?: PlatformAdapter } = {}): RawRoutes {
  const host = { httpAdapter: options.adapter ?? new PlatformAdapter('', TIMEOUTS) } as unknown as HttpAdapterHost;
  const lines = options.lines;
  const access = new AccessLog({ logLevel: lines ? 'info' : 'silent' } as AppConfig, { write: (line: string) => lines?.push(line) }, 'issuance');
  return new RawRoutes(host, new MetricsService(), access, { accessLogSampleGrabs: options.accessLogSampleGrabs ?? 1 });
}

/** A route as an app would add it (the body and the caller check left out). */
const route = (method: string, url: string): RawRoute =>
  ({ method, url, docs: { summary: url, responses: {} }, errors: [], handler: async () => ({ status: 204, body: null }) }) as unknown as RawRoute;

describe('RawRoutes', () => {
  it('serves the routes of its fixed list, the grab, the sign-up and the redemption, and documents them', () => {
    const routes = rawRoutes();
    for (const listed of RAW_ROUTE_LIST) routes.add(route(listed.method, listed.url));
    const document = routes.document({ paths: {} } as OpenAPIObject);
    expect(Object.keys(document.paths).sort()).toEqual(['/v1/redemptions', '/v1/rounds/{roundId}/claims', '/v1/rounds/{roundId}/entries']);
    // The codes each answers, for documentErrors to put under their statuses.
    expect(document.paths['/v1/redemptions'].post).toMatchObject({ 'x-error-codes': [] });
    expect(RAW_ROUTE_LIST.map((listed) => `${listed.method} ${listed.url}`)).toEqual([
      'POST /v1/rounds/:roundId/claims',
      'POST /v1/rounds/:roundId/entries',
      'POST /v1/redemptions',
    ]);
  });

  it('refuses at start any route not on the list, another method of a listed path, and a route added twice', () => {
    const routes = rawRoutes();
    expect(() => routes.add(route('POST', '/v1/refunds'))).toThrow('POST /v1/refunds is not a raw route (RAW_ROUTE_LIST): serve it through Nest');
    expect(() => routes.add(route('GET', '/v1/redemptions'))).toThrow(/is not a raw route/);
    expect(() => routes.add(route('POST', '/v1/redemptions/'))).toThrow(/is not a raw route/);
    routes.add(route('POST', '/v1/redemptions'));
    expect(() => routes.add(route('POST', '/v1/redemptions'))).toThrow('POST /v1/redemptions is added twice');
    const grab = route('POST', '/v1/rounds/:roundId/claims');
    expect(() => routes.add({ ...grab, errors: ['NOT_A_CATALOGUED_CODE'] })).toThrow(
      'POST /v1/rounds/:roundId/claims answers codes in no error catalogue: NOT_A_CATALOGUED_CODE',
    );
    expect(Object.keys(routes.document({ paths: {} } as OpenAPIObject).paths)).toEqual(['/v1/redemptions']);
  });

  it('documents a route body from the schema it validates with', () => {
    const routes = rawRoutes();
    const schema = { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer', minimum: 1 } } };
    routes.add({ ...route('POST', '/v1/redemptions'), body: { limit: 100, schema } } as unknown as RawRoute);
    expect(routes.document({ paths: {} } as OpenAPIObject).paths['/v1/redemptions'].post?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema } },
    });
  });

  it('refuses at start a body schema ajv cannot compile', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', minimumm: 1 } } };
    expect(() => rawRoutes().add({ ...route('POST', '/v1/redemptions'), body: { limit: 100, schema } } as unknown as RawRoute)).toThrow(
      /unknown keyword/,
    );
  });

  it('samples the successful answers of the grab and the sign-up only (ACCESS_LOG_SAMPLE_GRABS), never the redemption, never an error', async () => {
    const lines: string[] = [];
    const adapter = new PlatformAdapter('', TIMEOUTS);
    const routes = rawRoutes({ lines, accessLogSampleGrabs: 0, adapter });
    let status = 201;
    for (const listed of RAW_ROUTE_LIST) routes.add({ ...route(listed.method, listed.url), handler: async () => ({ status, body: {} }) });
    const server = adapter.rawServer.serverFactory((_request, response) => response.writeHead(404).end(), {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const paths = ['/v1/rounds/r1/claims', '/v1/rounds/r1/entries', '/v1/redemptions'];
      for (const path of paths) expect((await fetch(`${base}${path}`, { method: 'POST' })).status).toBe(201);
      status = 409;
      for (const path of paths) expect((await fetch(`${base}${path}`, { method: 'POST' })).status).toBe(409);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const logged = lines.map((line) => JSON.parse(line) as { route: string; status: number });
    expect(logged.map(({ route: pattern, status: code }) => `${code} ${pattern}`)).toEqual([
      '201 /v1/redemptions',
      '409 /v1/rounds/:roundId/claims',
      '409 /v1/rounds/:roundId/entries',
      '409 /v1/redemptions',
    ]);
  });
});
