import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AccessLog } from './access-log';
import { answerOf } from './error-answer';
import { MetricsService } from './metrics.service';
import { BODY_LIMIT_BYTES } from './body-limits';
import { dropBody, hasBody, readJsonBody } from './raw-body';
import { PlatformAdapter } from './raw-server';
import { requestIdOf } from './request-id';

type Operation = OpenAPIObject['paths'][string]['post'];

export interface RawRequest<Caller = undefined> {
  /** Path parameters by name, percent-decoded. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined for a route without `bodyLimit` or a request without a body. */
  body: unknown;
  requestId: string;
  /** What the route's `authenticate` answered; undefined without one. */
  caller: Caller;
}

export interface RawAnswer {
  status: number;
  body: unknown;
}

export interface RawRoute<Caller = undefined> {
  method: 'GET' | 'POST';
  /** In Fastify's form, e.g. `/v1/rounds/:roundId/claims`. */
  url: string;
  /**
   * The share (0 to 1) of successful answers that write an access line (AccessLog); errors always
   * do. Only for a hot route that moves no money (the grab); unset, every answer is logged.
   */
  accessLogSample?: number;
  /** How /docs describes it. */
  docs: NonNullable<Operation>;
  /**
   * The route reads a JSON body of at most this many bytes. Without it the route takes no body:
   * one sent is read and dropped before the handler runs, up to the limit of every route
   * (BODY_LIMIT_BYTES, 413 beyond).
   */
  bodyLimit?: number;
  /**
   * Who calls (the bearer token, checked without I/O), before a byte of the body is read: a
   * caller refused costs no upload, however large. Throws to refuse; the handler gets the result.
   */
  authenticate?: (headers: IncomingHttpHeaders) => Caller;
  /** The answer, or an error that becomes one (AppError's status and code, as on every route). */
  handler: (request: RawRequest<Caller>) => Promise<RawAnswer>;
}

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
 * and Fastify's per-request machinery are a measurable share of the work (the grab, the till's
 * redemption). They keep what every route has: the request id (echoed in X-Request-Id),
 * errors in the common shape (answerOf), the request metrics, an access line and a place in /docs. Their
 * handlers check auth and input themselves.
 */
@Injectable()
export class RawRoutes {
  private readonly logger = new Logger('Errors');
  private readonly routes: Array<Pick<RawRoute<unknown>, 'method' | 'url' | 'docs'>> = [];

  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(AccessLog) private readonly access: AccessLog,
  ) {}

  add<Caller>(route: RawRoute<Caller>): void {
    const adapter = this.host.httpAdapter;
    if (!(adapter instanceof PlatformAdapter)) throw new Error('Raw routes need the platform adapter (createFastifyAdapter)');
    adapter.rawServer.add(route.method, route.url, (request, response, params) => {
      this.serve(route, request, response, params).catch((error: unknown) => this.logger.error({ err: error }, 'answer failed'));
    });
    this.routes.push(route);
  }

  private async serve<Caller>(
    route: RawRoute<Caller>,
    request: IncomingMessage,
    response: ServerResponse,
    params: Record<string, string>,
  ): Promise<void> {
    const started = performance.now();
    const requestId = requestIdOf(request);
    let status: number;
    try {
      const caller = route.authenticate ? route.authenticate(request.headers) : (undefined as Caller);
      let body: unknown;
      if (route.bodyLimit !== undefined) body = await readJsonBody(request, route.bodyLimit);
      else {
        // Null when there is no body (the grab, as clients send it): nothing to wait for.
        const dropped = dropBody(request, BODY_LIMIT_BYTES);
        if (dropped) await dropped;
      }
      const answer = await route.handler({ params, headers: request.headers, body, requestId, caller });
      status = answer.status;
      writeJson(request, response, answer.status, answer.body, requestId);
    } catch (error) {
      const answer = answerOf(error, requestId, this.logger);
      status = answer.status;
      writeJson(request, response, answer.status, answer.body, requestId, answer.retryAfterSeconds);
    }
    this.metrics.observe(route.method, route.url, status, (performance.now() - started) / 1000);
    this.access.write(requestId, route.method, route.url, request.url ?? '', status, performance.now() - started, route.accessLogSample);
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
