import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { CampaignsModule } from './campaigns/campaigns.module';

/** Residents and campaign administration: sign-in, campaigns, rounds, the grab. */
@Module({
  imports: [PlatformModule.forApp('issuance'), CampaignsModule],
})
export class IssuanceModule {}
