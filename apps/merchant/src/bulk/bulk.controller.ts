import { Controller, Get, HttpCode, Inject, Post, Req, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import type { FastifyRequest } from 'fastify';
import { ExportMerchants } from './export-merchants.usecase';
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
  import(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest): Promise<ImportReport> {
    // The body is the raw stream (see CsvBodyParser); the validation pipe is not for it.
    return this.importMerchants.execute(user, request.body, request.id);
  }

  @Get('export')
  @Auth(Role.CommerceOfficial, Role.Auditor)
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The registry as CSV in the import columns, bank account numbers masked, streamed' })
  async export(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest): Promise<StreamableFile> {
    const stream = await this.exportMerchants.execute(user, request.id);
    return new StreamableFile(stream, { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="merchants.csv"' });
  }
}
