import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, PublicIdPipe } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { CreateCampaign } from './create-campaign.usecase';
import { CampaignErrorCode } from './campaign-errors';
import { CreateCampaignDto, CreatedCampaignView, TransitionDto, TransitionView } from './create-campaign.dto';
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
  @AnswersErrors(...Object.values(CampaignErrorCode), CommonErrorCode.OutsideOfficialDistrict, CommonErrorCode.DatabaseUnavailable)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateCampaignDto, @Req() request: FastifyRequest): Promise<CreatedCampaignView> {
    return this.createCampaign.execute(user, dto, request.id);
  }

  @Post(':campaignId/transitions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a campaign: draft → scheduled → active ⇄ paused → ended (audited)',
    description: "A district official moves their own district's campaigns only: any other is CAMPAIGN_NOT_FOUND.",
  })
  @ApiParam({ name: 'campaignId', description: 'Public id of the campaign', format: 'uuid' })
  @ApiOkResponse({ type: TransitionView })
  @AnswersErrors(CommonErrorCode.CampaignNotFound, CommonErrorCode.InvalidTransition, CommonErrorCode.DatabaseUnavailable)
  transition(
    @CurrentUser() user: AuthUser,
    @Param('campaignId', PublicIdPipe) campaignId: string,
    @Body() dto: TransitionDto,
    @Req() request: FastifyRequest,
  ): Promise<TransitionView> {
    return this.transitionCampaign.execute(user, campaignId, dto, request.id);
  }
}
