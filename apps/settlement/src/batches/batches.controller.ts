import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse, IdCasePipe, requestIdOf } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { LedgerBalanceCheck, LedgerBalanceReport } from '../jobs/ledger-balance.check';
import { BatchDecisions, Decision } from './batch-decisions.usecase';
import { requireCityOfficial } from './batch-lock';
import { BatchHistory } from './batch-history.usecase';
import { BatchHistoryView } from './batch-history.view';
import { HoldLineDto, ListLinesQuery, StartBatchDto } from './batch-dtos';
import { BatchView, LineView } from './batch.view';
import { ListBatchesQuery } from './list-batches.query';
import { BatchSummary, ListBatches } from './list-batches.usecase';
import { ReadBatches } from './read-batches.usecase';
import { SettlementErrorCode } from './settlement-errors';

const BATCH_ID = { name: 'batchId', description: 'Public id of the batch', format: 'uuid' };
const LINE_ID = { name: 'lineId', description: 'Public id of the line', format: 'uuid' };
/** What every decision on a batch can be refused with: a district official, a batch that is not there, or not in a status for it. */
const DECISION_REFUSALS = [SettlementErrorCode.CityOfficialRequired, SettlementErrorCode.BatchNotFound, CommonErrorCode.InvalidTransition] as const;

@ApiTags('settlement')
@Controller('v1')
@Auth(Role.FinanceOfficial, Role.Auditor)
@AnswersErrors(CommonErrorCode.DatabaseUnavailable)
export class BatchesController {
  constructor(
    @Inject(ListBatches) private readonly listBatches: ListBatches,
    @Inject(ReadBatches) private readonly batches: ReadBatches,
    @Inject(BatchDecisions) private readonly decisions: BatchDecisions,
    @Inject(LedgerBalanceCheck) private readonly ledgerBalance: LedgerBalanceCheck,
    @Inject(BatchHistory) private readonly history: BatchHistory,
  ) {}

  @Get('settlement/batches')
  @ApiOperation({ summary: 'Settlement batches, latest business day first' })
  @ApiPageResponse(BatchSummary)
  @AnswersErrors(SettlementErrorCode.CityOfficialRequired)
  list(@CurrentUser() official: AuthUser, @Query() query: ListBatchesQuery): Promise<Page<BatchSummary>> {
    requireCityOfficial(official);
    return this.listBatches.execute(query);
  }

  @Post('settlement/batches')
  @HttpCode(202)
  @Auth(Role.FinanceOfficial)
  @ApiOperation({
    summary: "Start (or look up) a business day's batch",
    description:
      'The nightly job does this for the day before; starting a day twice gives the same batch. 202: it builds in the background. ' +
      'BUSINESS_DAY_NOT_OVER for today or later (Asia/Shanghai); BUSINESS_DAY_BEFORE_PROGRAM before PROGRAM_START_DATE; ' +
      'BUSINESS_DAY_TOO_OLD more than SETTLEMENT_MAX_DAYS_BACK days back.',
  })
  @ApiAcceptedResponse({ type: BatchView, description: 'The batch, building (or as it is, when the day was started before)' })
  @AnswersErrors(SettlementErrorCode.CityOfficialRequired, SettlementErrorCode.DayNotOver, SettlementErrorCode.DayBeforeProgram, SettlementErrorCode.DayTooOld)
  start(@CurrentUser() official: AuthUser, @Body() body: StartBatchDto, @Req() request: FastifyRequest): Promise<BatchView> {
    return this.batches.start(official, body.businessDate, requestIdOf(request));
  }

  @Get('settlement/batches/:batchId')
  @ApiOperation({ summary: 'A batch with its totals and build progress' })
  @ApiParam(BATCH_ID)
  @ApiOkResponse({ type: BatchView })
  @AnswersErrors(SettlementErrorCode.BatchNotFound, SettlementErrorCode.CityOfficialRequired)
  get(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string): Promise<BatchView> {
    requireCityOfficial(official);
    return this.batches.get(batchId);
  }

  @Get('settlement/batches/:batchId/lines')
  @ApiOperation({ summary: "A batch's lines, one per merchant" })
  @ApiParam(BATCH_ID)
  @ApiPageResponse(LineView)
  @AnswersErrors(SettlementErrorCode.BatchNotFound, SettlementErrorCode.CityOfficialRequired)
  lines(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string, @Query() query: ListLinesQuery): Promise<Page<LineView>> {
    requireCityOfficial(official);
    return this.batches.lines(batchId, query.status, query.limit, query.cursor);
  }

  @Get('settlement/batches/:batchId/history')
  @ApiParam(BATCH_ID)
  @ApiOperation({
    summary: 'What was done to a batch and by whom: started, built, lines held, submitted, approved, re-opened, payout file, bank results (newest first)',
    description: 'From the audit log. City-wide finance officials and auditors: like the decisions it shows, a district-scoped token is refused.',
  })
  @ApiOkResponse({ type: BatchHistoryView })
  @AnswersErrors(SettlementErrorCode.BatchNotFound, SettlementErrorCode.CityOfficialRequired)
  batchHistory(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string): Promise<BatchHistoryView> {
    return this.history.execute(official, batchId);
  }

  @Post('settlement/batches/:batchId/submit')
  @HttpCode(200)
  @Auth(Role.FinanceOfficial)
  @ApiOperation({
    summary: 'Submit a built batch for approval once checked (复核); another finance official approves it',
    description: 'From pending_approval to submitted.',
  })
  @ApiParam(BATCH_ID)
  @ApiOkResponse({ type: Decision })
  @AnswersErrors(...DECISION_REFUSALS)
  submit(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string, @Req() request: FastifyRequest): Promise<Decision> {
    return this.decisions.move(official, batchId, 'submit', requestIdOf(request));
  }

  @Post('settlement/batches/:batchId/approve')
  @HttpCode(200)
  @Auth(Role.FinanceOfficial)
  @ApiOperation({
    summary: 'Approve a submitted batch for payment (审批): not by whoever submitted, re-opened or adjusted it',
    description: 'From submitted to approved.',
  })
  @ApiParam(BATCH_ID)
  @ApiOkResponse({ type: Decision })
  @AnswersErrors(...DECISION_REFUSALS, CommonErrorCode.FourEyesRequired)
  approve(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string, @Req() request: FastifyRequest): Promise<Decision> {
    return this.decisions.move(official, batchId, 'approve', requestIdOf(request));
  }

  @Post('settlement/batches/:batchId/reopen')
  @HttpCode(200)
  @Auth(Role.FinanceOfficial)
  @ApiOperation({ summary: 'Take a submitted or approved batch back to pending approval, before payment starts' })
  @ApiParam(BATCH_ID)
  @ApiOkResponse({ type: Decision })
  @AnswersErrors(...DECISION_REFUSALS)
  reopen(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string, @Req() request: FastifyRequest): Promise<Decision> {
    return this.decisions.move(official, batchId, 'reopen', requestIdOf(request));
  }

  @Post('settlement/batches/:batchId/lines/:lineId/hold')
  @HttpCode(200)
  @Auth(Role.FinanceOfficial)
  @ApiOperation({ summary: 'Hold a line of a batch awaiting approval: not paid now, carried into the next batch' })
  @ApiParam(BATCH_ID)
  @ApiParam(LINE_ID)
  @ApiOkResponse({ type: Decision })
  @AnswersErrors(...DECISION_REFUSALS, SettlementErrorCode.LineNotFound)
  hold(
    @CurrentUser() official: AuthUser,
    @Param('batchId', IdCasePipe) batchId: string,
    @Param('lineId', IdCasePipe) lineId: string,
    @Body() body: HoldLineDto,
    @Req() request: FastifyRequest,
  ): Promise<Decision> {
    return this.decisions.holdLine(official, batchId, lineId, body.reason, requestIdOf(request));
  }

  @Get('ledger/balance')
  @ApiOperation({ summary: 'Checks that every ledger posting balances; lists those that do not' })
  @ApiOkResponse({ type: LedgerBalanceReport })
  @AnswersErrors(SettlementErrorCode.CityOfficialRequired)
  balance(@CurrentUser() official: AuthUser): Promise<LedgerBalanceReport> {
    requireCityOfficial(official);
    return this.ledgerBalance.run();
  }
}
