import { Module } from '@nestjs/common';
import { CampaignsController } from './campaigns.controller';
import { ListOpenCampaigns } from './list-open-campaigns.usecase';

@Module({
  controllers: [CampaignsController],
  providers: [ListOpenCampaigns],
})
export class CampaignsModule {}
