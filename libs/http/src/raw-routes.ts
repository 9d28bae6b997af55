import { Inject, Injectable, Logger, Type } from '@nestjs/common';
import { cataloguedCode } from '@vouchers/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '@vouchers/config';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AccessLog } from './access-log';
import { ERROR_CODES_EXTENSION } from './answers-errors';
import { answerOf } from './error-answer';
import { MetricsService } from './metrics.service';
import { unstorableTextRefused, urlHoldsNul } from './unstorable-text';
import { BODY_LIMIT_BYTES } from './body-limits';
import { dropBody, hasBody, readJsonBody } from './raw-body';
import { bodyCheckOf, RawBodySchema } from './raw-body-schema';
import { PlatformAdapter } from './raw-server';
import { requestIdOf } from './request-id';

type Operation = OpenAPIObject['paths'][string]['post'];

/**
 * The only routes served below Nest, each because a benchmark showed Nest's and Fastify's
 * per-request work to be a measurable share of it: the grab and the lottery sign-up (issuance), and
 * the till's redemption.
 * Everything else is a Nest route, with whatever guards, pipes and interceptors Nest gains later;
 * RawRoutes refuses any other route at start.
 */
export const RAW_ROUTE_LIST = [
  // A grab moves no money: under a rush its successes may be sampled (ACCESS_LOG_SAMPLE_GRABS); failures never are.
  { method: 'POST', url: '/v1/rounds/:roundId/claims', sampledAccessLog: true },
  // A sign-up moves no money and a second one is the same entry: sampled as the grab is (ACCESS_LOG_SAMPLE_GRABS).
  { method: 'POST', url: '/v1/rounds/:roundId/entries', sampledAccessLog: true },
  // A redemption moves money: every answer is logged.
  { method: 'POST', url: '/v1/redemptions', sampledAccessLog: false },
] as const;

type Listed = (typeof RAW_ROUTE_LIST)[number];

export interface RawRequest<Caller = undefined, Body = unknown> {
  /** Path parameters by name, percent-decoded. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The JSON body, checked against the route's `body` schema; undefined for a route that takes none. */
  body: Body;
  requestId: string;
  /** What the route's `authenticate` answered; undefined without one. */
  caller: Caller;
}

export interface RawAnswer {
  status: number;
  body: unknown;
}

export interface RawRoute<Caller = undefined, Body = undefined> {
  method: Listed['method'];
  /** In Fastify's form, e.g. `/v1/rounds/:roundId/claims`; one of RAW_ROUTE_LIST. */
  url: Listed['url'];
  /** How /docs describes it; a schema of its answer may be a `$ref` to one of `models`. */
  docs: NonNullable<Operation>;
  /** The view classes its docs refer to (getSchemaPath), put in the document's schemas. */
  models?: Array<Type<unknown>>;
  /** The error codes it answers beyond those of every route, from the catalogue enums (as @AnswersErrors lists them). */
  errors: readonly string[];
  /**
   * The route reads a JSON body of at most `limit` bytes and holds it to `schema` (ajv, compiled
   * once when the route is added): 400 VALIDATION_FAILED listing every problem, as the validation
   * pipe answers on Nest's routes. /docs shows the same schema. Without it the route takes no
   * body: one sent is read and dropped before the handler runs, up to the limit of every route
   * (BODY_LIMIT_BYTES, 413 beyond).
   */
  body?: { limit: number; schema: RawBodySchema<Body> };
  /**
   * Who calls (the bearer token, checked without I/O), before a byte of the body is read: a
   * caller refused costs no upload, however large. Throws to refuse; the handler gets the result.
   */
  authenticate?: (headers: IncomingHttpHeaders) => Caller;
  /** The answer, or an error that becomes one (AppError's status and code, as on every route). */
  handler: (request: RawRequest<Caller, Body>) => Promise<RawAnswer>;
}

/** A route as RawRoutes serves it: its body check compiled. */
interface Served<Caller, Body> {
  route: RawRoute<Caller, Body>;
  readBody: ((request: IncomingMessage) => Promise<Body>) | null;
  /** The share (0 to 1) of successful answers that write an access line; errors always do. */
  accessLogSample: number;
}

/** The status an access line gives a request whose client left before the answer (as for Nest's routes). */
const CLIENT_CLOSED_REQUEST = 499;

function writeJson(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  retryAfterSeconds?: number,
): void {
  const json = JSON.stringify(body);
  const headers = ['content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(json)), 'x-request-id', requestId];
  if (retryAfterSeconds !== undefined) headers.push('retry-after', String(retryAfterSeconds));
  // Answered before its body was read (refused, or too large): the connection is closed after
  // the answer, so the rest of the upload is never read (node would otherwise read it to the end).
  if (!request.complete && hasBody(request)) headers.push('connection', 'close');
  response.writeHead(status, headers);
  response.end(json);
}

/**
 * Routes served below Fastify (RawServer), for the paths where Nest's router, guards and pipes
 * and Fastify's per-request machinery are a measurable share of the work (the grab, the lottery
 * sign-up, the till's redemption), and only those (RAW_ROUTE_LIST). They keep what every route has: the request id
 * (echoed in X-Request-Id), the NUL refusal, errors in the common shape (answerOf), the request
 * metrics, an access line (499 for a client that left) and a place in /docs. A route checks its
 * caller itself (`authenticate`); its body is held to its schema here. test/raw-routes runs the
 * same hostile requests over every raw route.
 */
@Injectable()
export class RawRoutes {
  private readonly logger = new Logger('Errors');
  private readonly routes: Array<{ method: string; url: string; docs: NonNullable<Operation>; models: Array<Type<unknown>> }> = [];

  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(AccessLog) private readonly access: AccessLog,
    @Inject(AppConfig) private readonly config: Pick<AppConfig, 'accessLogSampleGrabs'>,
  ) {}

  /** Serves a route of RAW_ROUTE_LIST; throws (the app does not start) for any other, or one added twice. */
  add<Caller, Body = undefined>(route: RawRoute<Caller, Body>): void {
    const label = `${route.method} ${route.url}`;
    const listed = RAW_ROUTE_LIST.find((entry) => entry.method === route.method && entry.url === route.url);
    if (!listed) throw new Error(`${label} is not a raw route (RAW_ROUTE_LIST): serve it through Nest`);
    if (this.routes.some((added) => added.method === route.method && added.url === route.url)) throw new Error(`${label} is added twice`);
    const uncatalogued = route.errors.filter((code) => !cataloguedCode(code));
    if (uncatalogued.length > 0) throw new Error(`${label} answers codes in no error catalogue: ${uncatalogued.join(', ')}`);
    const adapter = this.host.httpAdapter;
    if (!(adapter instanceof PlatformAdapter)) throw new Error('Raw routes need the platform adapter (createFastifyAdapter)');
    const body = route.body;
    const accessLogSample = listed.sampledAccessLog ? this.config.accessLogSampleGrabs : 1;
    const served: Served<Caller, Body> = { route, readBody: null, accessLogSample };
    if (body) {
      const check = bodyCheckOf(body.schema);
      served.readBody = async (request) => check(await readJsonBody(request, body.limit));
    }
    adapter.rawServer.add(route.method, route.url, (request, response, params) => {
      this.serve(served, request, response, params).catch((error: unknown) => this.logger.error({ err: error }, 'answer failed'));
    });
    const docs = {
      ...route.docs,
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body.schema as object } } } } : {}),
      [ERROR_CODES_EXTENSION]: route.errors,
    };
    this.routes.push({ method: route.method, url: route.url, docs, models: route.models ?? [] });
  }

  private async serve<Caller, Body>(
    { route, readBody, accessLogSample }: Served<Caller, Body>,
    request: IncomingMessage,
    response: ServerResponse,
    params: Record<string, string>,
  ): Promise<void> {
    const started = performance.now();
    const requestId = requestIdOf(request);
    let status: number;
    // The client left before its answer: nothing to write to (node destroys the response with the socket).
    let left: boolean;
    try {
      // As Nest's routes refuse it (the preValidation hook), before anything reads the request.
      if (urlHoldsNul(request.url ?? '')) throw unstorableTextRefused();
      const caller = route.authenticate ? route.authenticate(request.headers) : (undefined as Caller);
      let body = undefined as Body;
      if (readBody) body = await readBody(request);
      else {
        // Null when there is no body (the grab, as clients send it): nothing to wait for.
        const dropped = dropBody(request, BODY_LIMIT_BYTES);
        if (dropped) await dropped;
      }
      const answer = await route.handler({ params, headers: request.headers, body, requestId, caller });
      status = answer.status;
      left = response.destroyed;
      if (!left) writeJson(request, response, answer.status, answer.body, requestId);
    } catch (error) {
      const answer = answerOf(error, requestId, this.logger);
      status = answer.status;
      left = response.destroyed;
      if (!left) writeJson(request, response, answer.status, answer.body, requestId, answer.retryAfterSeconds);
    }
    if (left) {
      // Logged as Nest's routes log it (onRequestAbort): 499, no duration, no metric.
      this.access.write(requestId, route.method, route.url, request.url ?? '', CLIENT_CLOSED_REQUEST, null);
      return;
    }
    this.metrics.observe(route.method, route.url, status, (performance.now() - started) / 1000);
    this.access.write(requestId, route.method, route.url, request.url ?? '', status, performance.now() - started, accessLogSample);
  }

  /** The view classes the raw routes' docs refer to, for the document's schemas (extraModels). */
  models(): Array<Type<unknown>> {
    return this.routes.flatMap((route) => route.models);
  }

  /** Adds the raw routes to a document built from Nest's controllers. */
  document(document: OpenAPIObject): OpenAPIObject {
    for (const route of this.routes) {
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      document.paths[path] = { ...document.paths[path], [route.method.toLowerCase()]: route.docs };
    }
    return document;
  }
}
