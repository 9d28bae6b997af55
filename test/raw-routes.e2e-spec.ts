import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { EligibilityIndex } from '@vouchers/eligibility';
import { AppName, BODY_LIMIT_BYTES, RAW_ROUTE_LIST } from '@vouchers/http';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { REDEEM_BODY_SCHEMA } from '../apps/redemption/src/checkout/redeem-request';
import { bootApp } from './support/apps';
import { createActiveCampaign, createOpenLottery } from './support/campaigns';
import { createTill } from './support/checkout';
import { openTestDatabase } from './support/database';
import { LogCapture } from './support/log-capture';
import { upload, Upload } from './support/raw-http';
import { createVerifiedResidents } from './support/residents';
import { bearer, tokenFor, unsignedToken } from './support/tokens';

/** What one raw route needs for the shared cases: where it is, who may call it, what it wrote. */
interface Prepared {
  path: string;
  /** A caller the route lets in, and one of a role it refuses. */
  token: string;
  wrongRoleToken: string;
  /** A body the route takes (undefined: the route takes none). */
  body: Record<string, unknown> | undefined;
  /** Rows this caller's requests wrote (vouchers grabbed, redemptions made). */
  written: () => Promise<number>;
}

interface RawCase {
  app: AppName;
  /** The route's pattern, as RAW_ROUTE_LIST, metrics and access lines name it. */
  route: string;
  /** The route's own limit on a body, past which it answers 413. */
  bodyLimit: number;
  prepare: (app: NestFastifyApplication, db: DataSource) => Promise<Prepared>;
  /** The schema of its body, as RawRoutes checks it (undefined: it takes none). */
  bodySchema: unknown;
  /** What a body with one unknown field gets: the grab takes no body and ignores one sent. */
  unknownField: { status: number; code?: string };
}

const CASES: Record<'grab' | 'signUp' | 'redeem', RawCase> = {
  grab: {
    app: 'issuance',
    route: '/v1/rounds/:roundId/claims',
    // It takes no body: one sent is dropped up to the limit of every route.
    bodyLimit: BODY_LIMIT_BYTES,
    prepare: async (app, db) => {
      const [roundId] = (await createActiveCampaign(app, { quantity: [100] })).rounds;
      const [resident] = await createVerifiedResidents(db, 1);
      return {
        path: `/v1/rounds/${roundId}/claims`,
        token: resident.token,
        wrongRoleToken: tokenFor({ role: Role.MerchantStaff, merchantId: newPublicId() }),
        body: undefined,
        written: async () =>
          (
            await db.query('SELECT count(*)::int AS n FROM vouchers v JOIN residents r ON r.id = v.resident_id WHERE r.public_id = $1', [
              resident.id,
            ])
          )[0].n as number,
      };
    },
    bodySchema: undefined,
    unknownField: { status: 201 },
  },
  signUp: {
    app: 'issuance',
    route: '/v1/rounds/:roundId/entries',
    // It takes no body, as the grab: one sent is dropped up to the limit of every route.
    bodyLimit: BODY_LIMIT_BYTES,
    prepare: async (app, db) => {
      const roundId = await createOpenLottery(app, db);
      const [resident] = await createVerifiedResidents(db, 1);
      return {
        path: `/v1/rounds/${roundId}/entries`,
        token: resident.token,
        wrongRoleToken: tokenFor({ role: Role.MerchantStaff, merchantId: newPublicId() }),
        body: undefined,
        written: async () =>
          (
            await db.query('SELECT count(*)::int AS n FROM lottery_entries e JOIN residents r ON r.id = e.resident_id WHERE r.public_id = $1', [
              resident.id,
            ])
          )[0].n as number,
      };
    },
    bodySchema: undefined,
    unknownField: { status: 200 },
  },
  redeem: {
    app: 'redemption',
    route: '/v1/redemptions',
    bodyLimit: 16 * 1024,
    prepare: async (app, db) => {
      const till = await createTill(db, app.get(EligibilityIndex));
      return {
        path: '/v1/redemptions',
        token: till.cashierToken,
        wrongRoleToken: tokenFor({ role: Role.Resident, verified: true }),
        // Well formed, but not a voucher code: refused after the body is read, nothing written.
        body: { code: 'not-a-code', orderAmountFen: 5000, merchantOrderNo: `RAW-${Date.now()}` },
        written: async () =>
          (
            await db.query('SELECT count(*)::int AS n FROM redemptions r JOIN merchants m ON m.id = r.merchant_id WHERE m.public_id = $1', [
              till.merchantId,
            ])
          )[0].n as number,
      };
    },
    bodySchema: REDEEM_BODY_SCHEMA,
    unknownField: { status: 400, code: 'VALIDATION_FAILED' },
  },
};

const ERROR_SHAPE = { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TEN_MB = 10 * 1024 * 1024;

/** A 10 MB upload, 64 KB every 5 ms (about 0.8 s for the whole of it). */
const bigUpload = (port: number, path: string, headers: Record<string, string>, chunked: boolean): Upload => ({
  port,
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json', ...headers },
  piece: 'x'.repeat(64 * 1024),
  everyMs: 5,
  totalBytes: TEN_MB,
  chunked,
  giveUpMs: 10_000,
});

it('covers every raw route', () => {
  expect(Object.values(CASES).map((rawCase) => rawCase.route)).toEqual(RAW_ROUTE_LIST.map((listed) => listed.url));
});

/**
 * Grab, sign-up and redeem are served below Nest (RawRoutes), so nothing Nest does reaches them by
 * itself. The same hostile requests run over each: what a Nest route answers, each answers.
 */
describe.each(Object.keys(CASES) as Array<keyof typeof CASES>)('the raw route %s', (name) => {
  const rawCase = CASES[name];
  const log = new LogCapture();
  let app: NestFastifyApplication;
  let db: DataSource;
  let port: number;
  let prepared: Prepared;
  const post = (path = prepared.path) => request(app.getHttpServer()).post(path);
  const send = (body: unknown, token = prepared.token) => post().set(bearer(token)).set('content-type', 'application/json').send(JSON.stringify(body));

  beforeAll(async () => {
    [app, db] = await Promise.all([bootApp(rawCase.app, { LOG_LEVEL: 'info' }, { logTo: log }), openTestDatabase()]);
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    prepared = await rawCase.prepare(app, db);
  });

  afterAll(async () => {
    await db.destroy();
    await app.close();
  });

  it('refuses a missing or bad token with 401 UNAUTHENTICATED in the common error shape', async () => {
    const sub = newPublicId();
    const tokens = [
      null,
      '',
      'not.a.token',
      unsignedToken({ sub, role: Role.MerchantStaff, rv: 1 }),
      tokenFor({ sub, role: Role.MerchantStaff }, { secret: 'another-key-of-forty-characters-or-more!!' }),
      tokenFor({ sub, role: Role.MerchantStaff }, { expiresIn: -10 }),
    ];
    const before = await prepared.written();
    for (const token of tokens) {
      const attempt = post();
      if (token !== null) void attempt.set('authorization', `Bearer ${token}`);
      const response = await attempt;
      expect([token, response.status, response.body]).toEqual([token, 401, { ...ERROR_SHAPE, code: 'UNAUTHENTICATED' }]);
      expect(response.headers['x-request-id']).toBe(response.body.requestId);
    }
    expect(await prepared.written()).toBe(before);
  });

  it('refuses a role the route is not for with 403 FORBIDDEN', async () => {
    const response = await send(prepared.body ?? {}, prepared.wrongRoleToken);
    expect([response.status, response.body]).toEqual([403, { ...ERROR_SHAPE, code: 'FORBIDDEN' }]);
  });

  it('answers a body with an unknown field as its schema says (the grab takes none and ignores it)', async () => {
    const response = await send({ ...prepared.body, sneaky: 1 });
    expect([response.status, response.body.code]).toEqual([rawCase.unknownField.status, rawCase.unknownField.code ?? response.body.code]);
    if (response.status === 400) expect(response.body.details).toEqual({ problems: ['property sneaky should not exist'] });
  });

  it('refuses the NUL character in the path or query, and it or a lone surrogate in a body it reads, with 400 MALFORMED_REQUEST', async () => {
    const answers = [await post(`${prepared.path}?note=%00`).set(bearer(prepared.token))];
    // A path parameter (the grab's round id), percent-encoded.
    const inParameter = prepared.path.replace(/^\/v1\/rounds\/[^/]+/, '/v1/rounds/a%00b');
    if (inParameter !== prepared.path) answers.push(await post(inParameter).set(bearer(prepared.token)));
    for (const response of answers) expect([response.status, response.body]).toEqual([400, { ...ERROR_SHAPE, code: 'MALFORMED_REQUEST' }]);
    // A percent escape that does not decode: refused by the router below the raw routes, in the same shape, with the request id.
    const undecodable = prepared.path.replace(/^\/v1\/rounds\/[^/]+/, '/v1/rounds/%E0%A4%A');
    if (undecodable !== prepared.path) {
      const badEscape = await post(undecodable).set(bearer(prepared.token));
      expect([badEscape.status, badEscape.body]).toEqual([400, { ...ERROR_SHAPE, code: 'MALFORMED_REQUEST' }]);
      expect(badEscape.headers['x-request-id']).toBe(badEscape.body.requestId);
    }
    if (prepared.body) {
      for (const bad of ['a\u0000b', 'a\ud800b']) {
        const inBody = await send({ ...prepared.body, code: bad });
        expect([inBody.status, inBody.body.code]).toEqual([400, 'MALFORMED_REQUEST']);
      }
      const deep = await post().set(bearer(prepared.token)).set('content-type', 'application/json').send(`{"code":${'['.repeat(4000)}${']'.repeat(4000)}}`);
      expect([deep.status, deep.body.code]).toEqual([400, 'BODY_TOO_COMPLEX']);
    }
  });

  it.each([
    ['declared', false],
    ['chunked', true],
  ])('refuses a 10 MB body, %s, without a token with 401 before reading it', async (_how, chunked) => {
    const exchange = await upload(bigUpload(port, prepared.path, {}, chunked));
    expect([exchange.status, exchange.body?.code]).toEqual([401, 'UNAUTHENTICATED']);
    // Answered and closed within a fraction of the upload: the server did not wait for the rest.
    expect(exchange.answeredAfterMs).toBeLessThan(400);
    expect(exchange.finishedSending).toBe(false);
    expect(exchange.closedByServer).toBe(true);
  });

  it.each([
    ['declared', false],
    ['chunked', true],
  ])("refuses a caller's 10 MB body, %s, with 413 PAYLOAD_TOO_LARGE, closing without reading the rest or acting", async (_how, chunked) => {
    const before = await prepared.written();
    const exchange = await upload(bigUpload(port, prepared.path, bearer(prepared.token), chunked));
    expect([exchange.status, exchange.body?.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(exchange.finishedSending).toBe(false);
    expect(exchange.closedByServer).toBe(true);
    // Just past the route's own limit, declared: 413 too.
    const over = await post()
      .set(bearer(prepared.token))
      .set('content-type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(rawCase.bodyLimit) }));
    expect([over.status, over.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(await prepared.written()).toBe(before);
  });

  it('echoes a sane request id and replaces a missing or unsafe one, in the header, the error and the access line', async () => {
    const own = `till-7-${Date.now()}`;
    const answers = [
      await post().set('x-request-id', own),
      await post(),
      await post().set('x-request-id', 'has spaces and "quotes"'),
    ];
    const ids = answers.map((response) => response.headers['x-request-id']);
    expect(ids[0]).toBe(own);
    expect(ids.slice(1)).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
    for (const response of answers) {
      expect([response.status, response.body]).toEqual([401, { ...ERROR_SHAPE, code: 'UNAUTHENTICATED', requestId: response.headers['x-request-id'] }]);
      const path = new URL(response.request.url).pathname;
      expect(await log.linesOf(response.headers['x-request-id'])).toEqual([
        expect.objectContaining({ context: 'Access', method: 'POST', route: rawCase.route, path, status: 401, durationMs: expect.any(Number) }),
      ]);
    }
  });

  it('counts its answers in the metrics under its route pattern, as Nest routes are counted', async () => {
    const metric = `http_request_duration_seconds_count{app="${rawCase.app}",method="POST",route="${rawCase.route}",status="401"}`;
    const countOf = async () => {
      const text = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
      const line = text.split('\n').find((entry) => entry.startsWith(`${metric} `));
      return line ? Number(line.slice(metric.length + 1)) : 0;
    };
    const before = await countOf();
    await post().expect(401);
    await post().expect(401);
    expect(await countOf()).toBe(before + 2);
  });

  it('is in /docs, its body described by the schema its requests are held to', async () => {
    const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as {
      paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: unknown }> } } }>;
    };
    const operation = document.paths[rawCase.route.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.post;
    expect(operation).toBeDefined();
    expect(operation?.requestBody?.content['application/json'].schema).toEqual(rawCase.bodySchema);
  });

  it('logs a request whose client leaves before the answer as 499, as on Nest routes', async () => {
    const requestId = `gone-${name}-${Date.now()}`;
    // Headers and part of a body: the request is under way when the client leaves.
    const gone = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: prepared.path,
      headers: { 'x-request-id': requestId, 'content-type': 'application/json', 'content-length': '100', ...bearer(prepared.token) },
    });
    gone.on('error', () => undefined);
    gone.write('{"code":');
    await new Promise((resolve) => setTimeout(resolve, 200));
    gone.destroy();
    expect(await log.linesOf(requestId)).toEqual([
      expect.objectContaining({ requestId, method: 'POST', route: rawCase.route, path: prepared.path, status: 499, durationMs: null }),
    ]);
  });
});
