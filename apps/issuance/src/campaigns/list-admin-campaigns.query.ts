import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@vouchers/common';
import { IsIn, IsOptional } from 'class-validator';
import { CAMPAIGN_STATUSES, CampaignStatus } from './campaign-states';

export class ListAdminCampaignsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES, description: 'Only campaigns in this status (draft included)' })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;
}
