import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, IdCasePipe } from '@vouchers/http';
import { CampaignLotteries } from './campaign-lotteries.usecase';
import { CampaignLotteriesView } from './campaign-lotteries.view';

/** A campaign's lottery rounds as the officials who run them follow them (the console's campaign page). */
@ApiTags('lottery')
@Controller('v1/admin/campaigns/:campaignId/lotteries')
@Auth(Role.CommerceOfficial)
export class CampaignLotteriesController {
  constructor(@Inject(CampaignLotteries) private readonly lotteries: CampaignLotteries) {}

  @Get()
  @ApiParam({ name: 'campaignId', description: 'Public id of the campaign (either case)', format: 'uuid' })
  @ApiOperation({
    summary: "A campaign's lottery rounds: stage, entrants, commitment, who proposed and who confirmed the public value, the draw",
    description:
      'Drafts included. Entrants are counted as they sign up until the list is frozen, then the frozen count; winners and ' +
      "skips once the draw is published. The stage is the database's: drawn_unpublished means the winners' vouchers are " +
      'saved but not yet published (POST .../lottery/draw again finishes it). A campaign outside a district official\'s ' +
      'district is CAMPAIGN_NOT_FOUND.',
  })
  @ApiOkResponse({ type: CampaignLotteriesView })
  @AnswersErrors(CommonErrorCode.CampaignNotFound, CommonErrorCode.DatabaseUnavailable)
  list(@CurrentUser() user: AuthUser, @Param('campaignId', IdCasePipe) campaignId: string): Promise<CampaignLotteriesView> {
    return this.lotteries.execute(user, campaignId);
  }
}
