import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { isDatabaseReachable } from '@vouchers/database';
import { isRedisReachable, REDIS, Redis } from '@vouchers/redis';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { MetricsService } from './metrics.service';

type Probe = 'up' | 'down';

export interface HealthReport {
  status: 'ok' | 'down';
  checks: { postgres: Probe; redis: Probe };
}

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Postgres and Redis reachability; 503 when either is down' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const [postgres, redis] = await Promise.all([isDatabaseReachable(this.dataSource), isRedisReachable(this.redis)]);
    const report: HealthReport = {
      status: postgres && redis ? 'ok' : 'down',
      checks: { postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' },
    };
    void reply.status(report.status === 'ok' ? 200 : 503);
    return report;
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  async prometheus(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
