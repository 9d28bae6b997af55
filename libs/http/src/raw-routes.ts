import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './error-answer';
import { requestIdOf } from './request-id';

type Operation = OpenAPIObject['paths'][string]['post'];

export interface RawRoute {
  method: 'GET' | 'POST';
  /** In Fastify's form, e.g. `/v1/rounds/:roundId/claims`. */
  url: string;
  /** How /docs describes it. */
  docs: NonNullable<Operation>;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/**
 * Routes served by Fastify directly, outside Nest's router, guards and pipes, for the one
 * path where that machinery is a measurable share of the work (the grab). They keep what
 * every route has: request ids, logs, metrics (Fastify hooks and middleware), errors in the
 * common shape (sendError) and a place in /docs. Their handlers check auth and input themselves.
 */
@Injectable()
export class RawRoutes {
  private readonly logger = new Logger('Errors');
  private readonly routes: RawRoute[] = [];

  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  add(route: RawRoute): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    fastify.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        try {
          return await route.handler(request, reply);
        } catch (error) {
          sendError(reply, requestIdOf(request), error, this.logger);
          return reply;
        }
      },
    });
    this.routes.push(route);
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
