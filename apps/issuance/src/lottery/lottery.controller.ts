import { Controller, Get, Headers, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, PublicIdPipe } from '@vouchers/http';
import { ClaimErrorCode } from '../claims/claim-errors';
import { entrantsCsv } from './entrants-csv';
import { LotteryErrorCode } from './lottery-errors';
import { LotteryFiles } from './lottery-files.usecase';
import { EntrantsFileView, EntrantsFormatQuery, LotteryView, MyEntryView, ResultsFileView } from './lottery.views';
import { MyEntry } from './my-entry.usecase';

const ROUND_PARAM = { name: 'roundId', description: 'Public id of the lottery round (either case)', format: 'uuid' };

/** The list as JSON, or the same as CSV (?format=csv or Accept: text/csv). */
const ENTRANTS_ANSWER = {
  description: 'The frozen list; as CSV when asked for',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(EntrantsFileView) } },
    'text/csv': {
      schema: {
        type: 'string' as const,
        description:
          'UTF-8 CSV: a header row round_id,commitment,salt,count,digest,frozen_at,public_value_source and its row ' +
          '(the source quoted as RFC 4180 when it holds a comma or a quote), an empty line, then entry_hash and one hash per row',
      },
    },
  },
};

/**
 * Lottery rounds (摇号) for residents and for anyone checking a draw: one's own entry, the published
 * files. The sign-up itself (POST entries) is a raw route, SignUpRoute.
 */
@ApiTags('lottery')
@Controller('v1/rounds/:roundId')
@ApiExtraModels(EntrantsFileView)
@AnswersErrors(ClaimErrorCode.RoundNotFound, LotteryErrorCode.NotALottery, CommonErrorCode.DatabaseUnavailable)
export class LotteryController {
  constructor(
    @Inject(MyEntry) private readonly myEntry: MyEntry,
    @Inject(LotteryFiles) private readonly files: LotteryFiles,
  ) {}

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
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'The frozen entrant list (hashes under the round salt) with its digest, once sign-up has closed; no sign-in needed',
    description:
      'A published file, as JSON or (?format=csv or Accept: text/csv) as CSV: save it and check the draw with ' +
      '`npm run lottery:verify -- --entrants <file> --results <file>`, which reads either.',
  })
  @ApiOkResponse(ENTRANTS_ANSWER)
  @AnswersErrors(LotteryErrorCode.SignupStillOpen)
  async entrants(
    @Param('roundId', PublicIdPipe) roundId: string,
    @Query() query: EntrantsFormatQuery,
    @Headers('accept') accept?: string,
  ): Promise<EntrantsFileView | StreamableFile> {
    const file = await this.files.entrants(roundId);
    const csv = query.format === 'csv' || (query.format === undefined && /(^|[\s,])text\/csv\b/i.test(accept ?? ''));
    if (!csv) return file;
    return new StreamableFile(Buffer.from(entrantsCsv(file), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="lottery-${file.roundId}-entrants.csv"`,
    });
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
