import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, IdCasePipe, PublicIdPipe } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { AdminCampaignPageView, AdminCampaignView } from './admin-campaign.view';
import { CreateCampaign } from './create-campaign.usecase';
import { CampaignErrorCode } from './campaign-errors';
import { CreateCampaignDto, CreatedCampaignView, TransitionDto, TransitionView } from './create-campaign.dto';
import { ListAdminCampaignsQuery } from './list-admin-campaigns.query';
import { ListAdminCampaigns } from './list-admin-campaigns.usecase';
import { ReadAdminCampaign } from './read-admin-campaign.usecase';
import { TransitionCampaign } from './transition-campaign.usecase';

@ApiTags('campaign administration')
@Controller('v1/admin/campaigns')
@Auth(Role.CommerceOfficial)
export class CampaignAdminController {
  constructor(
    @Inject(CreateCampaign) private readonly createCampaign: CreateCampaign,
    @Inject(TransitionCampaign) private readonly transitionCampaign: TransitionCampaign,
    @Inject(ListAdminCampaigns) private readonly listCampaigns: ListAdminCampaigns,
    @Inject(ReadAdminCampaign) private readonly readCampaign: ReadAdminCampaign,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every campaign the official may move, drafts included, newest first in keyset pages',
    description: "A district official's are those of exactly their district, as for creating and moving them.",
  })
  @ApiOkResponse({ type: AdminCampaignPageView })
  @AnswersErrors(CommonErrorCode.DatabaseUnavailable)
  list(@CurrentUser() user: AuthUser, @Query() query: ListAdminCampaignsQuery): Promise<AdminCampaignPageView> {
    return this.listCampaigns.execute(user, query);
  }

  @Get(':campaignId')
  @ApiParam({ name: 'campaignId', description: 'Public id of the campaign (either case)', format: 'uuid' })
  @ApiOperation({
    summary: 'A campaign with its voucher types, its rounds and their stock, and its status history',
    description:
      "Each round's stock twice: issued and remaining from Postgres (the record: vouchers saved), and admissionStock from Redis " +
      "(the grab's live figure, which also counts grabs not saved yet), null when Redis holds no state for the campaign or did " +
      'not answer within half a second (admission says which); the read answers either way. The status history comes from the ' +
      'audit log, where every move is recorded with it.',
  })
  @ApiOkResponse({ type: AdminCampaignView })
  @AnswersErrors(CommonErrorCode.CampaignNotFound, CommonErrorCode.DatabaseUnavailable)
  get(@CurrentUser() user: AuthUser, @Param('campaignId', IdCasePipe) campaignId: string): Promise<AdminCampaignView> {
    return this.readCampaign.execute(user, campaignId);
  }

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
