import { Controller, Get, Headers, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, IdCasePipe } from '@vouchers/http';
import { requireCityOfficial } from '../batches/batch-lock';
import { SettlementErrorCode } from '../batches/settlement-errors';
import { BuildReconciliation } from './build-reconciliation.usecase';
import { reportCsv } from './reconciliation-csv';
import { ReconciliationRangeQuery, ReportFormat, ReportFormatQuery } from './reconciliation.dto';
import { ReconciliationErrorCode } from './reconciliation-errors';
import { ReconciliationReport } from './reconciliation.report';

const DESCRIPTION =
  'Counts and sums of vouchers claimed, redeemed, refunded and expired; subsidy by campaign, district, category and ' +
  'funding source; payable, paid, failed and clawed back; and checks of the ledger and the settlement lines against ' +
  'the rows, each difference listed (first 1,000 per check) with the full count. ?format=csv or Accept: text/csv ' +
  'gives the same report as CSV: one block per section, each with its header row, the section name in column one.';

/** The report as JSON, or the same as CSV (?format=csv or Accept: text/csv). */
const REPORT_ANSWER = {
  description: 'The report; as CSV when asked for',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(ReconciliationReport) } },
    'text/csv': { schema: { type: 'string' as const, description: 'UTF-8 CSV: one block per section, each with its header row' } },
  },
};

@ApiTags('settlement')
@Controller('v1/settlement')
@Auth(Role.FinanceOfficial, Role.Auditor)
@ApiExtraModels(ReconciliationReport)
@AnswersErrors(CommonErrorCode.DatabaseUnavailable)
export class ReconciliationController {
  constructor(@Inject(BuildReconciliation) private readonly reconciliation: BuildReconciliation) {}

  @Get('reconciliation')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Reconciliation of a range of business days (at most 366)', description: DESCRIPTION })
  @ApiOkResponse(REPORT_ANSWER)
  @AnswersErrors(...Object.values(ReconciliationErrorCode), SettlementErrorCode.CityOfficialRequired)
  async range(
    @CurrentUser() official: AuthUser,
    @Query() query: ReconciliationRangeQuery,
    @Headers('accept') accept?: string,
  ): Promise<ReconciliationReport | StreamableFile> {
    requireCityOfficial(official);
    const report = await this.reconciliation.forRange(query.from, query.to);
    return answer(report, query.format, accept, `reconciliation-${query.from}-${query.to}.csv`);
  }

  @Get('batches/:batchId/reconciliation')
  @ApiProduces('application/json', 'text/csv')
  @ApiParam({ name: 'batchId', description: 'Public id of the batch', format: 'uuid' })
  @ApiOperation({ summary: "Reconciliation of a batch: its business day and its lines", description: DESCRIPTION })
  @ApiOkResponse(REPORT_ANSWER)
  @AnswersErrors(SettlementErrorCode.BatchNotFound, SettlementErrorCode.CityOfficialRequired)
  async batch(
    @CurrentUser() official: AuthUser,
    @Param('batchId', IdCasePipe) batchId: string,
    @Query() query: ReportFormatQuery,
    @Headers('accept') accept?: string,
  ): Promise<ReconciliationReport | StreamableFile> {
    requireCityOfficial(official);
    const report = await this.reconciliation.forBatch(batchId);
    return answer(report, query.format, accept, `reconciliation-batch-${report.from}.csv`);
  }
}

/** JSON unless CSV is asked for, by ?format=csv or, without a format, by an Accept header naming text/csv. */
function answer(report: ReconciliationReport, format: ReportFormat | undefined, accept: string | undefined, filename: string) {
  const csv = format === 'csv' || (format === undefined && /(^|[\s,])text\/csv\b/i.test(accept ?? ''));
  if (!csv) return report;
  return new StreamableFile(Buffer.from(reportCsv(report), 'utf8'), {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${filename}"`,
  });
}
