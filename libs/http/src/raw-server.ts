import { Logger } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AppConfig } from '@vouchers/config';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { BODY_LIMIT_BYTES } from './body-limits';
import { answerClientError } from './client-error';
import { sendError } from './error-answer';
import { requestIdOf } from './request-id';

/**
 * How often node looks for connections past their header or request timeout: a slow client is
 * cut off at most this long after its bound. One timer per server, not per request; it visits
 * only connections with a request still arriving (node's default, 30 s, let a bound of 10 s
 * last 40).
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/** Serves a request a raw route matched, with the route's path parameters. */
export type RawServe = (request: IncomingMessage, response: ServerResponse, params: Record<string, string>) => void;

type Segment = string | { param: string };

interface Entry {
  method: string;
  segments: Segment[];
  serve: RawServe;
}

function segmentsOf(url: string): Segment[] {
  return url.split('/').map((part) => (part.startsWith(':') ? { param: part.slice(1) } : part));
}

/** The path parameters if `path` has the route's shape, else null (a segment that does not decode included). */
function match(segments: Segment[], path: string): Record<string, string> | null {
  const parts = path.split('/');
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = segments[i];
    const part = parts[i];
    if (typeof segment === 'string') {
      if (part !== segment) return null;
    } else {
      if (part === '') return null;
      try {
        params[segment.param] = part.includes('%') ? decodeURIComponent(part) : part;
      } catch {
        return null;
      }
    }
  }
  return params;
}

/**
 * An app's HTTP server. The raw routes (RawRoutes) are matched here, before Fastify, and served
 * on node:http directly: under a rush Fastify's request and reply objects and the hooks Nest adds
 * to every request were a measurable share of the grab's CPU. Every other request goes to Fastify.
 */
export class RawServer {
  private readonly entries: Entry[] = [];

  add(method: string, url: string, serve: RawServe): void {
    this.entries.push({ method, segments: segmentsOf(url), serve });
  }

  /** Serves the request if a raw route matches it; false leaves it to Fastify. */
  serve(request: IncomingMessage, response: ServerResponse): boolean {
    if (this.entries.length === 0) return false;
    const url = request.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    for (const entry of this.entries) {
      if (entry.method !== request.method) continue;
      const params = match(entry.segments, path);
      if (params) {
        entry.serve(request, response, params);
        return true;
      }
    }
    return false;
  }

  /** `timeouts`: node's bounds on a client's time (PlatformAdapter); without them node's and Fastify's defaults. */
  constructor(private readonly timeouts?: ClientTimeouts) {}

  /**
   * Fastify's `serverFactory`: the server Fastify would make, with the raw routes in front. The
   * timeouts are node's own, so they bound the raw routes as much as Fastify's, and cost the
   * grab nothing per request (no timer of its own: one check a second over the connections
   * whose request is still arriving).
   */
  readonly serverFactory = (handler: (request: IncomingMessage, response: ServerResponse) => void, options: FastifyServerOptions): Server => {
    const timeouts = this.timeouts;
    const server = createServer(
      timeouts
        ? {
            headersTimeout: timeouts.httpHeadersTimeoutMs,
            requestTimeout: timeouts.httpRequestTimeoutMs,
            connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
          }
        : {},
      (request, response) => {
        if (!this.serve(request, response)) handler(request, response);
      },
    );
    if (timeouts) server.keepAliveTimeout = timeouts.httpKeepAliveTimeoutMs;
    else {
      // As Fastify sets them on a server it makes itself (it fills in its defaults before calling this).
      if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
      if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    }
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    return server;
  };
}

/** The validated configuration's bounds on a client's time (README, Configuration). */
export type ClientTimeouts = Pick<AppConfig, 'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs' | 'httpKeepAliveTimeoutMs'>;

/** Fastify as every app uses it, with its RawServer; tests build their apps with the same adapter. */
const frameworkErrorLogger = new Logger('Errors');

export class PlatformAdapter extends FastifyAdapter {
  /**
   * `trustProxy`: the balancers whose X-Forwarded-For is believed (AppConfig.trustProxy); empty
   * for none. `timeouts`: how long a client may take to send its headers and its whole request
   * (408 REQUEST_TIMEOUT past either) and may leave a kept-alive connection idle.
   */
  constructor(
    trustProxy: string,
    timeouts: ClientTimeouts,
    readonly rawServer: RawServer = new RawServer(timeouts),
  ) {
    super({
      genReqId: (request: IncomingMessage) => requestIdOf(request),
      bodyLimit: BODY_LIMIT_BYTES,
      logger: false,
      serverFactory: rawServer.serverFactory,
      trustProxy: trustProxy.trim() === '' ? false : trustProxy,
      clientErrorHandler: answerClientError,
      // A path that does not decode (a bad percent escape) or a parameter past the router's length: the router answers
      // before any route or hook runs; in the common shape, with the request id, as every other refusal.
      frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendError(reply, request.id, error, frameworkErrorLogger),
    });
    // Bodies are JSON (configureHttpApp's parser) and nothing else: a body of any other type is
    // refused 415 UNSUPPORTED_MEDIA_TYPE before it is read. Fastify reads text/plain as a string,
    // which validation then refused 400 as if its fields were wrong.
    this.getInstance().removeContentTypeParser('text/plain');
  }

  /**
   * No form bodies: Nest would read application/x-www-form-urlencoded into an object its DTOs
   * validate as JSON, so a field of strings only could be posted by an HTML form on any site,
   * which a browser sends without asking the API first (no CORS preflight). Refused 415 instead.
   */
  override registerParserMiddleware(prefix?: string, rawBody?: boolean): void {
    super.registerParserMiddleware(prefix, rawBody);
    this.getInstance().removeContentTypeParser('application/x-www-form-urlencoded');
  }
}
