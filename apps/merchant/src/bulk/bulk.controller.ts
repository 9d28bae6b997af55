import { Controller, Get, HttpCode, Inject, Post, Req, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import type { FastifyRequest } from 'fastify';
import { ExportMerchants } from './export-merchants.usecase';
import { ImportErrorCode } from './import-errors';
import { ImportReport } from './import-report';
import { ImportMerchants } from './import-merchants.usecase';
import { MERCHANT_CSV_HEADER } from './merchant-csv';

@ApiTags('merchants')
@Controller('v1/merchants')
export class BulkController {
  constructor(
    @Inject(ImportMerchants) private readonly importMerchants: ImportMerchants,
    @Inject(ExportMerchants) private readonly exportMerchants: ExportMerchants,
  ) {}

  @Post('import')
  @HttpCode(200)
  @Auth(Role.CommerceOfficial)
  @ApiConsumes('text/csv')
  @ApiBody({ description: `UTF-8 CSV, up to 200,000 rows, header: ${MERCHANT_CSV_HEADER}`, schema: { type: 'string', format: 'binary' } })
  @ApiOperation({ summary: 'Bulk load of vetted merchants: upsert by credit code, bad rows reported, a malformed file refused whole' })
  @ApiOkResponse({ type: ImportReport, description: 'Every good row written; the bad ones listed by line' })
  @AnswersErrors(
    ...Object.values(ImportErrorCode),
    CommonErrorCode.UnsupportedMediaType,
    CommonErrorCode.DatabaseUnavailable,
    CommonErrorCode.ServiceUnavailable,
  )
  import(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest): Promise<ImportReport> {
    // The body is the raw stream (see CsvBodyParser); the validation pipe is not for it.
    return this.importMerchants.execute(user, request.body, request.id);
  }

  @Get('export')
  @Auth(Role.CommerceOfficial, Role.Auditor)
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The registry as CSV in the import columns, bank account numbers masked, streamed' })
  @ApiOkResponse({ description: `UTF-8 CSV, header: ${MERCHANT_CSV_HEADER}`, schema: { type: 'string' } })
  @AnswersErrors(CommonErrorCode.DatabaseUnavailable)
  async export(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest): Promise<StreamableFile> {
    const stream = await this.exportMerchants.execute(user, request.id);
    return new StreamableFile(stream, { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="merchants.csv"' });
  }
}
