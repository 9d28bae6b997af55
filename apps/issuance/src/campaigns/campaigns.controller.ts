import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse } from '@vouchers/http';
import { ListCampaignsQuery } from './list-campaigns.query';
import { CampaignView, ListOpenCampaigns } from './list-open-campaigns.usecase';

@ApiTags('campaigns')
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(@Inject(ListOpenCampaigns) private readonly listOpen: ListOpenCampaigns) {}

  @Get()
  @ApiOperation({ summary: 'Scheduled and active campaigns, for residents; no sign-in needed' })
  @ApiPageResponse(CampaignView)
  @AnswersErrors(CommonErrorCode.DatabaseUnavailable)
  list(@Query() query: ListCampaignsQuery): Promise<Page<CampaignView>> {
    return this.listOpen.execute(query);
  }
}
