import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthModule } from '@vouchers/auth';
import { AppConfig, ConfigModule } from '@vouchers/config';
import { DatabaseModule } from '@vouchers/database';
import { RedisModule } from '@vouchers/redis';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AccessLog, APP_NAME, LOG_DESTINATION, stdoutDestination } from './access-log';
import { AllExceptionsFilter } from './exception.filter';
import { HealthController } from './health.controller';
import { MetricsService } from './metrics.service';
import { RawRoutes } from './raw-routes';
import { requestIdOf } from './request-id';

export type AppName = 'issuance' | 'merchant' | 'redemption' | 'settlement';

/**
 * What every HTTP app has: validated config, Postgres, Redis, JWT auth, JSON logs with
 * request ids (an access line per request, AccessLog), the strict validation pipe, the one
 * error filter, /health and /metrics.
 */
@Module({})
export class PlatformModule {
  static forApp(app: AppName): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [
        ConfigModule,
        DatabaseModule,
        RedisModule,
        AuthModule,
        LoggerModule.forRootAsync({
          inject: [AppConfig, LOG_DESTINATION],
          useFactory: (config: AppConfig, destination: DestinationStream) => ({
            pinoHttp: [
              {
                level: config.logLevel,
                base: { app },
                genReqId: (request: IncomingMessage) => requestIdOf(request),
                redact: ['req.headers.authorization', 'req.headers.cookie'],
                // AccessLog writes the one line per request, the raw routes' included: pino-http's
                // middleware never sees those, and logged only Fastify's unknown routes.
                autoLogging: false,
              },
              destination,
            ],
          }),
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: LOG_DESTINATION, useFactory: stdoutDestination },
        { provide: APP_NAME, useValue: app },
        AccessLog,
        MetricsService,
        RawRoutes,
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
            stopAtFirstError: false,
          }),
        },
      ],
      exports: [MetricsService, RawRoutes, AccessLog, LOG_DESTINATION],
    };
  }
}
