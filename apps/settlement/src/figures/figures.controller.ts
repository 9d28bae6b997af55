import { Body, Controller, Get, Inject, Put, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '@vouchers/auth';
import { requestIdOf } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { FiguresRangeQuery, LeagueQuery, SetTargetsDto } from './figures.dto';
import { FiguresReportView } from './figures.view';
import { FiguresReport } from './figures-report.usecase';
import { FIGURES_READER_ROLES, figuresReader, TARGET_SETTER_ROLES, targetSetter } from './figures-scope';
import { leagueCsv } from './league-csv';
import { LeagueTable } from './league-table.usecase';
import { LeagueTableView, TargetsView } from './league-table.view';
import { leagueXlsx } from './league-xlsx';
import { SetTargets } from './set-targets.usecase';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const RANGE_ERRORS = 'VALIDATION_FAILED; INVALID_RANGE (from after to); RANGE_TOO_LONG (more than 366 days)';

/**
 * The program's figures for officials (DESIGN §9): live totals and daily series by campaign,
 * voucher type, district and category, the district league table (月晾晒) with its downloads,
 * and the districts' targets. Read from the running totals, never from the vouchers.
 */
@ApiTags('figures')
@Controller('v1/figures')
@ApiForbiddenResponse({ description: 'FORBIDDEN: residents and merchant staff read no figures' })
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
  @ApiBadRequestResponse({ description: RANGE_ERRORS })
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
  @ApiOkResponse({ type: LeagueTableView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED; INVALID_PERIOD_START (a week starts on a Monday, a month on the 1st)' })
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
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (a district twice, a negative target); INVALID_PERIOD_START' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not a commerce or finance official; TARGETS_CITY_WIDE_ONLY: the token is scoped to a district' })
  setTargets(@CurrentUser() user: AuthUser, @Body() body: SetTargetsDto, @Req() request: FastifyRequest): Promise<TargetsView> {
    return this.targets.execute(targetSetter(user), body, requestIdOf(request));
  }
}
