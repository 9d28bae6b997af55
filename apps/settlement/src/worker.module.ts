import { Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@vouchers/config';
import { noticeSenderFor, SMS_SENDER } from '@vouchers/otp';
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
import { ExpiryReminders } from './reminders/expiry-reminders';
import { LotteryWonNotices } from './reminders/lottery-won-notices';
import { WorkerMetrics } from './watch/worker-metrics';
import { WorkerProbes } from './watch/worker-probes';

/**
 * The settlement worker: BullMQ processors and schedules (settlement builds, the ledger check, voucher
 * expiry, expiry reminders), the watchdog that resumes interrupted builds, and its /health and /metrics (WorkerProbes, opened by worker.ts on settlementWorkerPort).
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
  providers: [
    LedgerBalanceCheck,
    VoucherExpiry,
    FiguresRecount,
    PartyCounts,
    PeriodTotals,
    MonthPartitions,
    // The expiry reminders' gateway: SMS_PROVIDER's, without the sign-in apps' refusal to start on log (expiryReminderProblem).
    { provide: SMS_SENDER, inject: [AppConfig], useFactory: noticeSenderFor },
    ExpiryReminders,
    LotteryWonNotices,
    settlementProcessorProvider,
    JobSchedules,
    BuildWatchdog,
    WorkerMetrics,
    WorkerProbes,
  ],
})
export class SettlementWorkerModule {}
