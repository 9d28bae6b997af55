import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { ExportAuditEntries } from './export-audit-entries.usecase';
import { ListAuditEntries } from './list-audit-entries.usecase';

/** The audit trail read back: filtered pages and a CSV export, for auditors and city-wide officials. */
@Module({
  controllers: [AuditController],
  providers: [ListAuditEntries, ExportAuditEntries],
})
export class AuditModule {}
