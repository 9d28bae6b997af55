import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { BODY_LIMIT_BYTES } from './body-limits';
import { requestIdOf } from './request-id';

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

  /** Fastify's `serverFactory`: the server Fastify would make, with the raw routes in front. */
  readonly serverFactory = (handler: (request: IncomingMessage, response: ServerResponse) => void, options: FastifyServerOptions): Server => {
    const server = createServer((request, response) => {
      if (!this.serve(request, response)) handler(request, response);
    });
    // As Fastify sets them on a server it makes itself (it fills in its defaults before calling this).
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    return server;
  };
}

/** Fastify as every app uses it, with its RawServer; tests build their apps with the same adapter. */
export class PlatformAdapter extends FastifyAdapter {
  /** `trustProxy`: the balancers whose X-Forwarded-For is believed (AppConfig.trustProxy); empty for none. */
  constructor(trustProxy = '', readonly rawServer: RawServer = new RawServer()) {
    super({
      genReqId: (request: IncomingMessage) => requestIdOf(request),
      bodyLimit: BODY_LIMIT_BYTES,
      logger: false,
      serverFactory: rawServer.serverFactory,
      trustProxy: trustProxy.trim() === '' ? false : trustProxy,
    });
  }
}
