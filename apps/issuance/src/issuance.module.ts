import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ClaimsModule } from './claims/claims.module';
import { CodesModule } from './codes/codes.module';
import { ResidentsModule } from './residents/residents.module';

/** Residents and campaign administration: sign-in, campaigns, rounds, the grab, checkout codes. */
@Module({
  imports: [PlatformModule.forApp('issuance'), CampaignsModule, ClaimsModule, CodesModule, ResidentsModule],
})
export class IssuanceModule {}
