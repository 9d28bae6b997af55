import { Module } from '@nestjs/common';
import { AdmissionExpiry } from './admission-expiry';
import { AdmissionLoader } from './admission-loader';
import { AdmissionStore } from './admission.store';
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
  providers: [AdmissionStore, AdmissionLoader, AdmissionExpiry, AdmissionWatch, ClaimWriter, ClaimVoucher, ResidentVouchers, RoundCatalog, GrabRateLimit, GrabRoute],
  exports: [AdmissionLoader, AdmissionStore, AdmissionExpiry],
})
export class ClaimsModule {}
