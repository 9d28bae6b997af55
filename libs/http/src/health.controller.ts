import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AnswersErrors } from './answers-errors';
import { isDatabaseReachable } from '@vouchers/database';
import { isRedisReachable, REDIS, Redis } from '@vouchers/redis';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { MetricsService } from './metrics.service';

type Probe = 'up' | 'down';

export class HealthChecks {
  @ApiProperty({ enum: ['up', 'down'] })
  postgres: Probe;

  @ApiProperty({ enum: ['up', 'down'] })
  redis: Probe;
}

export class HealthReport {
  @ApiProperty({ enum: ['ok', 'down'] })
  status: 'ok' | 'down';

  @ApiProperty({ type: HealthChecks })
  checks: HealthChecks;
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
  @ApiOkResponse({ type: HealthReport, description: 'Both answer' })
  @ApiServiceUnavailableResponse({ type: HealthReport, description: 'Postgres or Redis does not answer (checks says which)' })
  @AnswersErrors()
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
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The Prometheus text exposition format (version 0.0.4)', schema: { type: 'string' } })
  @AnswersErrors()
  async prometheus(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
