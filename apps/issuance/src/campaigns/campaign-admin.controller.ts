import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { PublicIdPipe } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { CreateCampaign } from './create-campaign.usecase';
import { CreateCampaignDto, TransitionDto } from './create-campaign.dto';
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
  @ApiOperation({ summary: 'Create a campaign (draft) with its voucher types and rounds, within its and the program budget' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateCampaignDto, @Req() request: FastifyRequest): Promise<{ id: string }> {
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
