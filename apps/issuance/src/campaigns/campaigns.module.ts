import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module';
import { CampaignAdminController } from './campaign-admin.controller';
import { CampaignsController } from './campaigns.controller';
import { CreateCampaign } from './create-campaign.usecase';
import { ListAdminCampaigns } from './list-admin-campaigns.usecase';
import { ListOpenCampaigns } from './list-open-campaigns.usecase';
import { ReadAdminCampaign } from './read-admin-campaign.usecase';
import { TransitionCampaign } from './transition-campaign.usecase';

@Module({
  imports: [ClaimsModule],
  controllers: [CampaignsController, CampaignAdminController],
  providers: [ListOpenCampaigns, CreateCampaign, TransitionCampaign, ListAdminCampaigns, ReadAdminCampaign],
})
export class CampaignsModule {}
