import { Module } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { AbandonedReservations } from './abandoned-reservations';
import { AdmissionLoader } from './admission-loader';
import { AdmissionStore } from './admission.store';
import { AdmissionSync } from './admission-sync';
import { AdmissionWatch } from './admission-watch';
import { ClaimVoucher } from './claim-voucher.usecase';
import { ClaimWriter } from './claim-writer';
import { ClaimsController } from './claims.controller';
import { ResidentVouchers } from './resident-vouchers';
import { GrabRateLimit } from './grab-rate-limit';
import { GrabRoute } from './grab.route';
import { GrabTiming } from './grab-timing';
import { HeldVouchers } from './held-vouchers';
import { ProcessLife } from './process-life';
import { RoundCatalog } from './round-catalog';
import { StaleStateCheck } from './stale-state-check';
import { StockBuckets } from './stock-buckets';

@Module({
  controllers: [ClaimsController],
  providers: [
    AbandonedReservations,
    AdmissionStore,
    AdmissionLoader,
    AdmissionSync,
    AdmissionWatch,
    ClaimWriter,
    ClaimVoucher,
    GrabRateLimit,
    GrabRoute,
    HeldVouchers,
    // Refuses a configuration whose budget does not add up (main.ts checks it before forking workers).
    { provide: GrabTiming, inject: [AppConfig], useFactory: (config: AppConfig) => GrabTiming.of(config) },
    ProcessLife,
    ResidentVouchers,
    RoundCatalog,
    StaleStateCheck,
    StockBuckets,
  ],
  exports: [AdmissionLoader, AdmissionStore, AdmissionSync],
})
export class ClaimsModule {}
