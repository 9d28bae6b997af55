import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, PublicIdPipe } from '@vouchers/http';
import { ClaimErrorCode } from '../claims/claim-errors';
import { LotteryErrorCode } from './lottery-errors';
import { LotteryFiles } from './lottery-files.usecase';
import { EntrantsFileView, EntryView, LotteryView, MyEntryView, ResultsFileView } from './lottery.views';
import { MyEntry } from './my-entry.usecase';
import { SignUp } from './sign-up.usecase';

const ROUND_PARAM = { name: 'roundId', description: 'Public id of the lottery round (either case)', format: 'uuid' };

/** Lottery rounds (摇号) for residents and for anyone checking a draw: sign-up, one's own entry, the published files. */
@ApiTags('lottery')
@Controller('v1/rounds/:roundId')
@AnswersErrors(ClaimErrorCode.RoundNotFound, LotteryErrorCode.NotALottery, CommonErrorCode.DatabaseUnavailable)
export class LotteryController {
  constructor(
    @Inject(SignUp) private readonly signUp: SignUp,
    @Inject(MyEntry) private readonly myEntry: MyEntry,
    @Inject(LotteryFiles) private readonly files: LotteryFiles,
  ) {}

  @Post('entries')
  @HttpCode(200)
  @Auth(Role.Resident)
  @ApiParam(ROUND_PARAM)
  @ApiOperation({
    summary: 'Sign up for a lottery round: one tap, real name verified; signing up again is the same entry',
    description: 'Open from signupOpensAt until signupClosesAt while the campaign is active.',
  })
  @ApiOkResponse({ type: EntryView })
  @AnswersErrors(ClaimErrorCode.RealNameRequired, ClaimErrorCode.CampaignNotActive, LotteryErrorCode.SignupNotOpen, LotteryErrorCode.SignupClosed)
  enter(@CurrentUser() user: AuthUser, @Param('roundId', PublicIdPipe) roundId: string): Promise<EntryView> {
    return this.signUp.execute(user, roundId);
  }

  @Get('entries/mine')
  @Auth(Role.Resident)
  @ApiParam(ROUND_PARAM)
  @ApiOperation({ summary: "The caller's entry: its hash, the round's commitment, and once published whether it won" })
  @ApiOkResponse({ type: MyEntryView })
  @AnswersErrors(LotteryErrorCode.NotEntered)
  mine(@CurrentUser() user: AuthUser, @Param('roundId', PublicIdPipe) roundId: string): Promise<MyEntryView> {
    return this.myEntry.execute(user, roundId);
  }

  @Get('lottery')
  @ApiParam(ROUND_PARAM)
  @ApiOperation({ summary: "A lottery round's window, stage, salt and commitment (SHA-256 of the secret seed); no sign-in needed" })
  @ApiOkResponse({ type: LotteryView })
  lottery(@Param('roundId', PublicIdPipe) roundId: string): Promise<LotteryView> {
    return this.files.lottery(roundId);
  }

  @Get('lottery/entrants')
  @ApiParam(ROUND_PARAM)
  @ApiOperation({
    summary: 'The frozen entrant list (hashes under the round salt) with its digest, once sign-up has closed; no sign-in needed',
    description: 'A published file: save it and check the draw with `npm run lottery:verify -- --entrants <file> --results <file>`.',
  })
  @ApiOkResponse({ type: EntrantsFileView })
  @AnswersErrors(LotteryErrorCode.SignupStillOpen)
  entrants(@Param('roundId', PublicIdPipe) roundId: string): Promise<EntrantsFileView> {
    return this.files.entrants(roundId);
  }

  @Get('lottery/results')
  @ApiParam(ROUND_PARAM)
  @ApiOperation({
    summary: 'The draw: revealed seed, public value, winners and skipped entrants with reasons, once published; no sign-in needed',
  })
  @ApiOkResponse({ type: ResultsFileView })
  @AnswersErrors(LotteryErrorCode.NotDrawn)
  results(@Param('roundId', PublicIdPipe) roundId: string): Promise<ResultsFileView> {
    return this.files.results(roundId);
  }
}
