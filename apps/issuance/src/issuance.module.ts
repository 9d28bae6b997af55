import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ClaimsModule } from './claims/claims.module';
import { ResidentsModule } from './residents/residents.module';

/** Residents and campaign administration: sign-in, campaigns, rounds, the grab. */
@Module({
  imports: [PlatformModule.forApp('issuance'), CampaignsModule, ClaimsModule, ResidentsModule],
})
export class IssuanceModule {}
