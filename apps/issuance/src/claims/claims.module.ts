import { Module } from '@nestjs/common';
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
import { RoundCatalog } from './round-catalog';

@Module({
  controllers: [ClaimsController],
  providers: [AdmissionStore, AdmissionLoader, AdmissionSync, AdmissionWatch, ClaimWriter, ClaimVoucher, ResidentVouchers, RoundCatalog, GrabRateLimit, GrabRoute],
  exports: [AdmissionLoader, AdmissionStore, AdmissionSync],
})
export class ClaimsModule {}
