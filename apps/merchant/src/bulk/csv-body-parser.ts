import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MAX_IMPORT_BYTES } from './read-import-file';

/**
 * Lets text/csv bodies through as the raw request stream, unbuffered, for the import to
 * read at its own pace (Nest's useBodyParser always buffers: parseAs 'buffer'). Registered
 * here rather than in the shared bootstrap so only the merchant app accepts CSV. Fastify
 * checks bodyLimit only for bodies it buffers itself, so the importer counts the bytes
 * (MAX_IMPORT_BYTES, 413 past it); the option is given to say what this parser allows.
 */
@Injectable()
export class CsvBodyParser implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    // No adapter in an application context (a worker) and nothing to register there.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', { bodyLimit: MAX_IMPORT_BYTES }, (_request, payload, done) => done(null, payload));
  }
}
