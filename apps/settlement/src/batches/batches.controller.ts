import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { Page } from '@vouchers/common';
import { IdCasePipe, requestIdOf } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { LedgerBalanceCheck, LedgerBalanceReport } from '../jobs/ledger-balance.check';
import { BatchDecisions, Decision } from './batch-decisions.usecase';
import { BatchHistory } from './batch-history.usecase';
import { BatchHistoryView } from './batch-history.view';
import { HoldLineDto, ListLinesQuery, StartBatchDto } from './batch-dtos';
import { BatchView, LineView } from './batch.view';
import { ListBatchesQuery } from './list-batches.query';
import { BatchSummary, ListBatches } from './list-batches.usecase';
import { ReadBatches } from './read-batches.usecase';

@ApiTags('settlement')
@Controller('v1')
@Auth(Role.FinanceOfficial, Role.Auditor)
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
  list(@Query() query: ListBatchesQuery): Promise<Page<BatchSummary>> {
    return this.listBatches.execute(query);
  }

  @Post('settlement/batches')
  @HttpCode(202)
  @Auth(Role.FinanceOfficial)
  @ApiOperation({
    summary: "Start (or look up) a business day's batch",
    description:
      'The nightly job does this for the day before; starting a day twice gives the same batch. 202: it builds in the background. ' +
      'Refusals: 403 CITY_OFFICIAL_REQUIRED (a district-scoped official); 409 BUSINESS_DAY_NOT_OVER (today or later, Asia/Shanghai); ' +
      '422 BUSINESS_DAY_BEFORE_PROGRAM (before PROGRAM_START_DATE), BUSINESS_DAY_TOO_OLD (more than SETTLEMENT_MAX_DAYS_BACK days back).',
  })
  start(@CurrentUser() official: AuthUser, @Body() body: StartBatchDto, @Req() request: FastifyRequest): Promise<BatchView> {
    return this.batches.start(official, body.businessDate, requestIdOf(request));
  }

  @Get('settlement/batches/:batchId')
  @ApiOperation({ summary: 'A batch with its totals and build progress' })
  @ApiParam({ name: 'batchId' })
  get(@Param('batchId', IdCasePipe) batchId: string): Promise<BatchView> {
    return this.batches.get(batchId);
  }

  @Get('settlement/batches/:batchId/lines')
  @ApiOperation({ summary: "A batch's lines, one per merchant" })
  lines(@Param('batchId', IdCasePipe) batchId: string, @Query() query: ListLinesQuery): Promise<Page<LineView>> {
    return this.batches.lines(batchId, query.status, query.limit, query.cursor);
  }

  @Get('settlement/batches/:batchId/history')
  @ApiParam({ name: 'batchId' })
  @ApiOperation({
    summary: 'What was done to a batch and by whom: built, lines held, approved, re-opened, payout file, bank results (newest first)',
    description: 'From the audit log. City-wide finance officials and auditors: like the decisions it shows, a district-scoped token is refused.',
  })
  @ApiOkResponse({ type: BatchHistoryView })
  @ApiNotFoundResponse({ description: 'BATCH_NOT_FOUND: no such batch, or an id that is no UUID' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not a finance official or auditor; CITY_OFFICIAL_REQUIRED: the token is scoped to a district' })
  batchHistory(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string): Promise<BatchHistoryView> {
    return this.history.execute(official, batchId);
  }

  @Post('settlement/batches/:batchId/submit')
  @HttpCode(200)
  @Auth(Role.FinanceOfficial)
  @ApiOperation({
    summary: 'Submit a built batch for approval once checked (复核); another finance official approves it',
    description: 'From pending_approval to submitted. 409 INVALID_TRANSITION from any other status; 403 CITY_OFFICIAL_REQUIRED for a district token.',
  })
  submit(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string, @Req() request: FastifyRequest): Promise<Decision> {
    return this.decisions.move(official, batchId, 'submit', requestIdOf(request));
  }

  @Post('settlement/batches/:batchId/approve')
  @HttpCode(200)
  @Auth(Role.FinanceOfficial)
  @ApiOperation({
    summary: 'Approve a submitted batch for payment (审批): not by whoever submitted, re-opened or adjusted it',
    description: 'From submitted to approved. 403 FOUR_EYES_REQUIRED for the submitter or adjuster; 409 INVALID_TRANSITION from any other status.',
  })
  approve(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string, @Req() request: FastifyRequest): Promise<Decision> {
    return this.decisions.move(official, batchId, 'approve', requestIdOf(request));
  }

  @Post('settlement/batches/:batchId/reopen')
  @HttpCode(200)
  @Auth(Role.FinanceOfficial)
  @ApiOperation({ summary: 'Take a submitted or approved batch back to pending approval, before payment starts' })
  reopen(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string, @Req() request: FastifyRequest): Promise<Decision> {
    return this.decisions.move(official, batchId, 'reopen', requestIdOf(request));
  }

  @Post('settlement/batches/:batchId/lines/:lineId/hold')
  @HttpCode(200)
  @Auth(Role.FinanceOfficial)
  @ApiOperation({ summary: 'Hold a line of a batch awaiting approval: not paid now, carried into the next batch' })
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
  balance(): Promise<LedgerBalanceReport> {
    return this.ledgerBalance.run();
  }
}
