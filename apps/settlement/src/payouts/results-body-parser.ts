import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MAX_RESULTS_BYTES } from './read-results-file';

/** The one route of the settlement app that takes a CSV body, as Fastify names it. */
export const BANK_RESULTS_ROUTE = '/v1/settlement/batches/:batchId/bank-results';

/**
 * Lets a text/csv body through to the bank-results route as the raw request stream, unread:
 * the handler reads it (with its own byte limit, 413 past it) only once the caller is known
 * to be a city finance official, so nobody can make the server buffer a file before the
 * token is checked. Content-type parsers are per Fastify instance, not per route, so this
 * one refuses CSV on every other route of the app (415, as before it was registered), and
 * it is registered here rather than in the shared bootstrap so only the settlement app has
 * it (as apps/merchant's CsvBodyParser does for the merchant import).
 */
@Injectable()
export class ResultsBodyParser implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // No adapter in an application context (a worker) and nothing to register there.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', { bodyLimit: MAX_RESULTS_BYTES }, (request, payload, done) => {
      if (request.routeOptions.url !== BANK_RESULTS_ROUTE) {
        done(Object.assign(new Error('text/csv is not accepted here'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), undefined);
        return;
      }
      done(null, payload);
    });
  }
}
