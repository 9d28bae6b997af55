import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MAX_IMPORT_BYTES } from './read-import-file';

/** The one route of the merchant app that takes a CSV body, as Fastify names it. */
export const IMPORT_ROUTE = '/v1/merchants/import';

/**
 * Lets text/csv bodies through to the import route as the raw request stream, unbuffered, for
 * the import to read at its own pace (Nest's useBodyParser always buffers: parseAs 'buffer').
 * Content-type parsers are per Fastify instance, not per route, so this one refuses CSV on
 * every other route of the app (415): a JSON route's validation pipe handed the stream walks
 * the socket beneath it, and that aborted the process. Registered here rather than in the
 * shared bootstrap so only the merchant app accepts CSV (as apps/settlement's
 * ResultsBodyParser does for bank results). Fastify checks bodyLimit only for bodies it
 * buffers itself, so the importer counts the bytes (MAX_IMPORT_BYTES, 413 past it); the
 * option is given to say what this parser allows.
 */
@Injectable()
export class CsvBodyParser implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // No adapter in an application context (a worker) and nothing to register there.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', { bodyLimit: MAX_IMPORT_BYTES }, (request, payload, done) => {
      if (request.routeOptions.url !== IMPORT_ROUTE) {
        done(Object.assign(new Error('text/csv is not accepted here'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), undefined);
        return;
      }
      done(null, payload);
    });
  }
}
