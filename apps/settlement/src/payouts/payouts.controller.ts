import { Controller, Get, Header, HttpCode, Inject, Param, Post, Req, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors, IdCasePipe, requestIdOf } from '@vouchers/http';
import { SettlementErrorCode } from '../batches/settlement-errors';
import type { FastifyRequest } from 'fastify';
import { BankResults, BankResultsReport } from './bank-results.usecase';
import { PAYOUT_CSV_HEADER, RESULT_CSV_HEADER } from './payout-csv';
import { PayoutFiles } from './payout-file.usecase';
import { PayoutErrorCode } from './payout-errors';

const BATCH_ID = { name: 'batchId', description: 'Public id of the batch', format: 'uuid' };

/** Paying an approved batch: the payout file for the bank, and the bank's result file back. City finance officials only. */
@ApiTags('settlement')
@Controller('v1/settlement/batches')
@Auth(Role.FinanceOfficial)
@AnswersErrors(SettlementErrorCode.CityOfficialRequired, SettlementErrorCode.BatchNotFound, CommonErrorCode.InvalidTransition, CommonErrorCode.DatabaseUnavailable)
export class PayoutsController {
  constructor(
    @Inject(PayoutFiles) private readonly payoutFiles: PayoutFiles,
    @Inject(BankResults) private readonly bankResults: BankResults,
  ) {}

  @Get(':batchId/payout-file')
  // It carries full bank account numbers: no cache may keep it.
  @Header('Cache-Control', 'no-store')
  @ApiParam(BATCH_ID)
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: `UTF-8 CSV with a byte-order mark, columns: ${PAYOUT_CSV_HEADER}`, schema: { type: 'string' } })
  @AnswersErrors(PayoutErrorCode.BankDetailsMissing)
  @ApiOperation({
    summary: "An approved batch's payout file for the bank (full account numbers); the first download starts the payment",
    description:
      `UTF-8 CSV (with a byte-order mark), columns: ${PAYOUT_CSV_HEADER}. One row per line still to pay: a download after some ` +
      'results are in lists only the lines without one. approved → paying on the first download; every download is audited. ' +
      '409 BANK_DETAILS_MISSING names lines without usable bank details (re-open the batch and hold them).',
  })
  async payoutFile(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string, @Req() request: FastifyRequest): Promise<StreamableFile> {
    const file = await this.payoutFiles.download(official, batchId, requestIdOf(request));
    return new StreamableFile(file.content, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${file.fileName}"` });
  }

  @Post(':batchId/bank-results')
  @HttpCode(200)
  @ApiParam(BATCH_ID)
  @ApiConsumes('text/csv')
  @ApiOkResponse({ type: BankResultsReport, description: 'The whole file applied' })
  @AnswersErrors(
    PayoutErrorCode.ResultsNotUtf8,
    PayoutErrorCode.ResultsBadCsv,
    PayoutErrorCode.ResultsBadHeader,
    PayoutErrorCode.ResultsEmpty,
    PayoutErrorCode.ResultsInvalid,
    PayoutErrorCode.ResultsConflict,
    CommonErrorCode.UnsupportedMediaType,
  )
  @ApiBody({
    description: `UTF-8 CSV, header: ${RESULT_CSV_HEADER}; result paid or failed, reason required when failed`,
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOperation({
    summary: "Record the bank's results for a batch being paid: all of the file or nothing",
    description:
      'Lines still pending become paid (posted to the ledger) or failed (carried into the next batch); lines already recorded with ' +
      'the same result are unchanged, so the same file twice changes nothing. 400/422 list what is wrong with the file, 409 ' +
      'RESULTS_CONFLICT the lines it contradicts; either way nothing is applied.',
  })
  bankResultsUpload(@CurrentUser() official: AuthUser, @Param('batchId', IdCasePipe) batchId: string, @Req() request: FastifyRequest): Promise<BankResultsReport> {
    // The body is the raw stream (see ResultsBodyParser); the validation pipe is not for it.
    return this.bankResults.upload(official, batchId, request.body, requestIdOf(request));
  }
}
