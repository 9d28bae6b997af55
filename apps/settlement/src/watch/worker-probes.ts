import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CommonErrorCode } from '@vouchers/common';
import { isDatabaseReachable } from '@vouchers/database';
import { isRedisReachable, REDIS, Redis } from '@vouchers/redis';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { WorkerMetrics } from './worker-metrics';

type Probe = 'up' | 'down';

/** The same shape as the HTTP apps' /health. */
export interface WorkerHealthReport {
  status: 'ok' | 'down';
  checks: { postgres: Probe; redis: Probe };
}

/**
 * The worker's only HTTP: GET /health (200 when Postgres and the queue's Redis answer, 503
 * otherwise) and GET /metrics (Prometheus text), on a port of its own (settlementWorkerPort).
 * Plain node:http: the worker serves no API, so it carries no Fastify, auth or docs.
 * The entry point opens it; a worker module in a test stays without a port.
 */
@Injectable()
export class WorkerProbes implements OnApplicationShutdown {
  private readonly logger = new Logger(WorkerProbes.name);
  private server: Server | undefined;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(WorkerMetrics) private readonly metrics: WorkerMetrics,
  ) {}

  async health(): Promise<WorkerHealthReport> {
    const [postgres, redis] = await Promise.all([isDatabaseReachable(this.db), isRedisReachable(this.redis)]);
    return { status: postgres && redis ? 'ok' : 'down', checks: { postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' } };
  }

  /** Listens; resolves with the port (0 asks for any free one). */
  async listen(port: number, host: string): Promise<number> {
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const bound = (server.address() as AddressInfo).port;
    this.logger.log(`settlement worker: /health and /metrics on http://${host}:${bound}`);
    return bound;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || (path !== '/health' && path !== '/metrics')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: CommonErrorCode.RouteNotFound, message: 'No such route: GET /health or /metrics' }));
      } else if (path === '/health') {
        const report = await this.health();
        response.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report));
      } else {
        const text = await this.metrics.registry.metrics();
        response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text);
      }
    } catch (error) {
      this.logger.error({ err: error }, 'worker probe failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: CommonErrorCode.Internal, message: 'The probe failed' }));
    }
  }
}
