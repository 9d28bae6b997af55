import { Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@vouchers/config';
import { DatabaseModule } from '@vouchers/database';
import { RedisModule } from '@vouchers/redis';
import { LoggerModule } from 'nestjs-pino';
import { BuildModule } from './build/build.module';
import { VoucherExpiry } from './expiry/voucher-expiry';
import { PartyCounts } from './figures/party-counts';
import { PeriodTotals } from './figures/period-totals';
import { FiguresRecount } from './figures/recount.check';
import { BuildWatchdog } from './jobs/build-watchdog';
import { JobSchedules } from './jobs/job-schedules';
import { LedgerBalanceCheck } from './jobs/ledger-balance.check';
import { QueueModule } from './jobs/queue.module';
import { settlementProcessorProvider } from './jobs/settlement.processor';
import { MonthPartitions } from './partitions/month-partitions';
import { WorkerMetrics } from './watch/worker-metrics';
import { WorkerProbes } from './watch/worker-probes';

/**
 * The settlement worker: BullMQ processors and schedules (settlement builds, the ledger check, voucher
 * expiry), the watchdog that resumes interrupted builds, and its /health and /metrics (WorkerProbes, opened by worker.ts on settlementWorkerPort).
 */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    // The client /health pings, as every app's does (BullMQ keeps its connections to itself).
    RedisModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ pinoHttp: { level: config.logLevel, base: { app: 'settlement-worker' } } }),
    }),
    QueueModule,
    BuildModule,
  ],
  providers: [LedgerBalanceCheck, VoucherExpiry, FiguresRecount, PartyCounts, PeriodTotals, MonthPartitions, settlementProcessorProvider, JobSchedules, BuildWatchdog, WorkerMetrics, WorkerProbes],
})
export class SettlementWorkerModule {}
