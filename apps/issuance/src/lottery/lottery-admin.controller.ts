import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, PublicIdPipe } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { ClaimErrorCode } from '../claims/claim-errors';
import { AgreePublicValue } from './agree-public-value.usecase';
import { DrawLottery } from './draw-lottery.usecase';
import { LotteryErrorCode } from './lottery-errors';
import { DrawView, PublicValueDto, PublicValueView } from './lottery.views';

const ROUND_PARAM = { name: 'roundId', description: 'Public id of the lottery round (either case)', format: 'uuid' };

/** The officials' steps of a lottery round after sign-up: the public value on four eyes, then the draw. */
@ApiTags('lottery')
@Controller('v1/admin/rounds/:roundId/lottery')
@Auth(Role.CommerceOfficial)
@AnswersErrors(ClaimErrorCode.RoundNotFound, LotteryErrorCode.NotALottery, LotteryErrorCode.SignupStillOpen, CommonErrorCode.DatabaseUnavailable)
export class LotteryAdminController {
  constructor(
    @Inject(AgreePublicValue) private readonly agree: AgreePublicValue,
    @Inject(DrawLottery) private readonly drawLottery: DrawLottery,
  ) {}

  @Post('public-value')
  @HttpCode(200)
  @ApiParam(ROUND_PARAM)
  @ApiOperation({
    summary: 'Propose the public value of the draw, or confirm the value another official proposed (four eyes; audited)',
    description:
      'After sign-up closed (the entrant list is frozen first). The proposer may replace their proposal until a different ' +
      'official confirms it by sending the same value; a different value from them is PUBLIC_VALUE_MISMATCH.',
  })
  @ApiOkResponse({ type: PublicValueView })
  @AnswersErrors(LotteryErrorCode.PublicValueMismatch, LotteryErrorCode.PublicValueSettled)
  publicValue(
    @CurrentUser() user: AuthUser,
    @Param('roundId', PublicIdPipe) roundId: string,
    @Body() dto: PublicValueDto,
    @Req() request: FastifyRequest,
  ): Promise<PublicValueView> {
    return this.agree.execute(user, roundId, dto.value, request.id);
  }

  @Post('draw')
  @HttpCode(200)
  @ApiParam(ROUND_PARAM)
  @ApiOperation({
    summary: "Draw the winners, issue their vouchers and publish the results (audited); again, it answers the draw as it was",
    description:
      "Reveals the seed; winners are the entrants ranked by SHA-256(seed ‖ public value ‖ entry hash), skipping those over " +
      "a per-person limit, until the round's quantity. Their vouchers are in Postgres and in the admission state in Redis " +
      'before the draw is published; 503 LOTTERY_NOT_PUBLISHED when the second step failed: draw again to finish it. ' +
      'Only an active campaign is drawn (409 CAMPAIGN_NOT_ACTIVE), and only while its vouchers would still be valid (409 VOUCHER_VALIDITY_ENDED).',
  })
  @ApiOkResponse({ type: DrawView })
  @AnswersErrors(LotteryErrorCode.PublicValueMissing, LotteryErrorCode.DrawNotPublished, ClaimErrorCode.CampaignNotActive, LotteryErrorCode.ValidityEnded)
  draw(@CurrentUser() user: AuthUser, @Param('roundId', PublicIdPipe) roundId: string, @Req() request: FastifyRequest): Promise<DrawView> {
    return this.drawLottery.execute(user, roundId, request.id);
  }
}
