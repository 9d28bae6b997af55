export { AllExceptionsFilter } from './exception.filter';
export { bootstrapHttpApp, configureHttpApp, createFastifyAdapter, loadConfigOrExit, runHttpApp } from './bootstrap';
export type { BootstrapOptions } from './bootstrap';
export { HealthController } from './health.controller';
export type { HealthReport } from './health.controller';
export { MetricsService } from './metrics.service';
export { PlatformModule } from './platform.module';
export type { AppName } from './platform.module';
export { requestIdOf } from './request-id';
