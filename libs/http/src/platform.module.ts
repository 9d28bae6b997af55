import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthModule } from '@vouchers/auth';
import { AppConfig, ConfigModule } from '@vouchers/config';
import { DatabaseModule } from '@vouchers/database';
import { RedisModule } from '@vouchers/redis';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './exception.filter';
import { HealthController } from './health.controller';
import { MetricsService } from './metrics.service';
import { RawRoutes } from './raw-routes';
import { requestIdOf } from './request-id';

export type AppName = 'issuance' | 'merchant' | 'redemption' | 'settlement';

/**
 * What every HTTP app has: validated config, Postgres, Redis, JWT auth, JSON logs with
 * request ids, the strict validation pipe, the one error filter, /health and /metrics.
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
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.logLevel,
              base: { app },
              genReqId: (request: IncomingMessage) => requestIdOf(request),
              redact: ['req.headers.authorization', 'req.headers.cookie'],
              autoLogging: { ignore: (request: IncomingMessage) => request.url === '/metrics' || request.url === '/health' },
            },
          }),
        }),
      ],
      controllers: [HealthController],
      providers: [
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
      exports: [MetricsService, RawRoutes],
    };
  }
}
