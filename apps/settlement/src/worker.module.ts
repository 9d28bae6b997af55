import { Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@vouchers/config';
import { DatabaseModule } from '@vouchers/database';
import { LoggerModule } from 'nestjs-pino';
import { BuildModule } from './build/build.module';
import { BuildWatchdog } from './jobs/build-watchdog';
import { JobSchedules } from './jobs/job-schedules';
import { LedgerBalanceCheck } from './jobs/ledger-balance.check';
import { QueueModule } from './jobs/queue.module';
import { settlementProcessorProvider } from './jobs/settlement.processor';

/** The settlement worker: BullMQ processors and schedules, and the watchdog that resumes interrupted builds; no HTTP port. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ pinoHttp: { level: config.logLevel, base: { app: 'settlement-worker' } } }),
    }),
    QueueModule,
    BuildModule,
  ],
  providers: [LedgerBalanceCheck, settlementProcessorProvider, JobSchedules, BuildWatchdog],
})
export class SettlementWorkerModule {}
