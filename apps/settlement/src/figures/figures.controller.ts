import { Body, Controller, Get, Inject, Put, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, requestIdOf } from '@vouchers/http';
import { ReconciliationErrorCode } from '../reconciliation/reconciliation-errors';
import type { FastifyRequest } from 'fastify';
import { FiguresRangeQuery, LeagueQuery, SetTargetsDto } from './figures.dto';
import { FiguresReportView } from './figures.view';
import { FiguresReport } from './figures-report.usecase';
import { FiguresErrorCode } from './figures-errors';
import { FIGURES_READER_ROLES, figuresReader, TARGET_SETTER_ROLES, targetSetter } from './figures-scope';
import { leagueCsv } from './league-csv';
import { LeagueTable } from './league-table.usecase';
import { LeagueTableView, TargetsView } from './league-table.view';
import { leagueXlsx } from './league-xlsx';
import { SetTargets } from './set-targets.usecase';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The table as JSON, or the same as a CSV or XLSX download (?format=). */
const LEAGUE_ANSWER = {
  description: 'The league table; as CSV or XLSX when asked for',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(LeagueTableView) } },
    'text/csv': { schema: { type: 'string' as const, description: 'UTF-8 CSV with a byte-order mark: the section name in column one' } },
    [XLSX_TYPE]: { schema: { type: 'string' as const, format: 'binary', description: 'A league sheet, then a sheet per district' } },
  },
};

/**
 * The program's figures for officials (DESIGN §9): live totals and daily series by campaign,
 * voucher type, district and category, the district league table (月晾晒) with its downloads,
 * and the districts' targets. Read from the running totals, never from the vouchers.
 */
@ApiTags('figures')
@Controller('v1/figures')
@ApiExtraModels(LeagueTableView)
@AnswersErrors(CommonErrorCode.DatabaseUnavailable)
export class FiguresController {
  constructor(
    @Inject(FiguresReport) private readonly report: FiguresReport,
    @Inject(LeagueTable) private readonly league: LeagueTable,
    @Inject(SetTargets) private readonly targets: SetTargets,
  ) {}

  @Get()
  @Auth(...FIGURES_READER_ROLES)
  @ApiOperation({
    summary: 'Figures of a range of business days (default today: the live figures), with their daily series',
    description:
      'Claims and expiries count in the campaign’s district (全市 for a campaign of no single district) and category (综合 for ' +
      'several); redemptions and refunds in the merchant’s. A district’s official gets the city’s totals and their own district in detail.',
  })
  @ApiOkResponse({ type: FiguresReportView })
  @AnswersErrors(...Object.values(ReconciliationErrorCode))
  figures(@CurrentUser() user: AuthUser, @Query() query: FiguresRangeQuery): Promise<FiguresReportView> {
    return this.report.execute(figuresReader(user), query.from, query.to);
  }

  @Get('league')
  @Auth(...FIGURES_READER_ROLES)
  @ApiProduces('application/json', 'text/csv', XLSX_TYPE)
  @ApiOperation({
    summary: 'The district league table (月晾晒) of a week or a month, ranked by consumption driven, against targets',
    description:
      'Every district side by side for every reader; per day, campaign and category only for the districts the caller sees in detail. ' +
      '?format=csv or xlsx downloads it (xlsx: the league sheet, then a sheet per district).',
  })
  @ApiOkResponse(LEAGUE_ANSWER)
  @AnswersErrors(FiguresErrorCode.InvalidPeriodStart)
  async leagueTable(@CurrentUser() user: AuthUser, @Query() query: LeagueQuery): Promise<LeagueTableView | StreamableFile> {
    const table = await this.league.execute(figuresReader(user), query.period, query.start);
    const name = `league-${table.period}-${table.from}`;
    if (query.format === 'csv') {
      return new StreamableFile(Buffer.from(leagueCsv(table), 'utf8'), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${name}.csv"` });
    }
    if (query.format === 'xlsx') {
      return new StreamableFile(await leagueXlsx(table), { type: XLSX_TYPE, disposition: `attachment; filename="${name}.xlsx"` });
    }
    return table;
  }

  @Put('targets')
  @Auth(...TARGET_SETTER_ROLES)
  @ApiOperation({ summary: 'Set districts’ targets for a week or a month (city-wide commerce or finance officials; audited: figures.targets.set)' })
  @ApiOkResponse({ type: TargetsView })
  @AnswersErrors(FiguresErrorCode.InvalidPeriodStart, FiguresErrorCode.TargetsCityWideOnly)
  setTargets(@CurrentUser() user: AuthUser, @Body() body: SetTargetsDto, @Req() request: FastifyRequest): Promise<TargetsView> {
    return this.targets.execute(targetSetter(user), body, requestIdOf(request));
  }
}
