import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { PublicIdPipe } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { CreateCampaign } from './create-campaign.usecase';
import { CreateCampaignDto, CreatedCampaignView, TransitionDto } from './create-campaign.dto';
import { TransitionCampaign } from './transition-campaign.usecase';

@ApiTags('campaign administration')
@Controller('v1/admin/campaigns')
@Auth(Role.CommerceOfficial)
export class CampaignAdminController {
  constructor(
    @Inject(CreateCampaign) private readonly createCampaign: CreateCampaign,
    @Inject(TransitionCampaign) private readonly transitionCampaign: TransitionCampaign,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a campaign (draft) with its voucher types and rounds, within its and the program budget',
    description:
      "A district official creates campaigns of their own district only, and names no city share: the campaign takes the city's " +
      'setting (DISTRICT_CAMPAIGN_CITY_SHARE_BP). A city-wide official names the share (cityShareBp) of every campaign.',
  })
  @ApiCreatedResponse({ type: CreatedCampaignView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, CITY_SHARE_REQUIRED (a city-wide official left cityShareBp out) or a rule of the campaign' })
  @ApiForbiddenResponse({ description: "OUTSIDE_OFFICIAL_DISTRICT (another district), CITY_SHARE_SET_BY_CITY (a district official named cityShareBp)" })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateCampaignDto, @Req() request: FastifyRequest): Promise<CreatedCampaignView> {
    return this.createCampaign.execute(user, dto, request.id);
  }

  @Post(':campaignId/transitions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a campaign: draft → scheduled → active ⇄ paused → ended (audited)' })
  transition(
    @CurrentUser() user: AuthUser,
    @Param('campaignId', PublicIdPipe) campaignId: string,
    @Body() dto: TransitionDto,
    @Req() request: FastifyRequest,
  ): Promise<{ id: string; status: string }> {
    return this.transitionCampaign.execute(user, campaignId, dto, request.id);
  }
}
