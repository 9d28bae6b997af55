import { Module } from '@nestjs/common';
import { EligibilityModule } from '@vouchers/eligibility';
import { BulkController } from './bulk.controller';
import { CsvBodyParser } from './csv-body-parser';
import { ExportMerchants } from './export-merchants.usecase';
import { ImportMerchants } from './import-merchants.usecase';
import { MerchantBatchWriter } from './merchant-batch-writer';

/** The registry in bulk: CSV import and export for officials. */
@Module({
  imports: [EligibilityModule],
  controllers: [BulkController],
  providers: [CsvBodyParser, ImportMerchants, MerchantBatchWriter, ExportMerchants],
})
export class BulkModule {}
