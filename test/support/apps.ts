import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppConfig, loadConfig } from '@vouchers/config';
import { AppName, configureHttpApp, createFastifyAdapter, LOG_DESTINATION } from '@vouchers/http';
import type { DestinationStream } from 'pino';
import { IssuanceModule } from '../../apps/issuance/src/issuance.module';
import { MerchantModule } from '../../apps/merchant/src/merchant.module';
import { RedemptionModule } from '../../apps/redemption/src/redemption.module';
import { SettlementModule } from '../../apps/settlement/src/settlement.module';

export const APP_MODULES: Record<AppName, Type<unknown>> = {
  issuance: IssuanceModule,
  merchant: MerchantModule,
  redemption: RedemptionModule,
  settlement: SettlementModule,
};

/** This run's configuration (set up by global-setup.cjs), with any overrides applied. */
export function testConfig(overrides: NodeJS.ProcessEnv = {}): AppConfig {
  return loadConfig({ env: { ...process.env, ...overrides } });
}

export interface BootOptions {
  /** Where the app's log lines go instead of stdout (LOG_DESTINATION), for a test that reads them. */
  logTo?: DestinationStream;
}

/**
 * Boots an app exactly as main.ts does (same adapter, hooks, filter, pipe), against this
 * run's real Postgres and Redis, without opening a port; supertest talks to app.getHttpServer().
 */
export async function bootApp(name: AppName, env: NodeJS.ProcessEnv = {}, options: BootOptions = {}): Promise<NestFastifyApplication> {
  const config = testConfig(env);
  let builder = Test.createTestingModule({ imports: [APP_MODULES[name]] })
    .overrideProvider(AppConfig)
    .useValue(config);
  if (options.logTo) builder = builder.overrideProvider(LOG_DESTINATION).useValue(options.logTo);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), { logger: false });
  configureHttpApp(app, name);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
