import { Controller, Get, Inject, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '@vouchers/auth';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse, requestIdOf } from '@vouchers/http';
import { AuditErrorCode } from './audit-errors';
import type { FastifyRequest } from 'fastify';
import { AuditEntryView } from './audit-entry.view';
import { AUDIT_READER_ROLES, auditReader } from './audit-reader';
import { AuditFilterQuery, AuditPageQuery } from './audit-trail.query';
import { AUDIT_CSV_HEADER, ExportAuditEntries } from './export-audit-entries.usecase';
import { ListAuditEntries } from './list-audit-entries.usecase';

const FILTERS =
  'Filters (all optional, combined with AND): actorId; targetType, with or without targetId; action, exact or a prefix ' +
  'ending with a dot (merchant.); from (inclusive) and to (exclusive), each a time with its offset (2026-12-05T10:00:00+08:00). ';

/**
 * The audit trail for auditors and city-wide officials: every official action (and the
 * settlement worker's), read back by who, what, to what and when. Served by the settlement
 * app, the officials' read-mostly API (finance officials and auditors already read batches
 * and reconciliation here), away from the issuance app's grab path.
 */
@ApiTags('audit')
@Controller('v1/audit/entries')
@Auth(...AUDIT_READER_ROLES)
@AnswersErrors(AuditErrorCode.CityWideOnly, CommonErrorCode.DatabaseUnavailable)
export class AuditController {
  constructor(
    @Inject(ListAuditEntries) private readonly listEntries: ListAuditEntries,
    @Inject(ExportAuditEntries) private readonly exportEntries: ExportAuditEntries,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The audit trail, newest first, in keyset pages',
    description: `${FILTERS}Times in answers are UTC. actorName names who acted (an official; a merchant's staff member with their masked number and shop), targetName the subject (an official, a staff member as actorName, a merchant, a campaign). nextCursor fetches the next page (same filters).`,
  })
  @ApiPageResponse(AuditEntryView)
  list(@CurrentUser() user: AuthUser, @Query() query: AuditPageQuery): Promise<Page<AuditEntryView>> {
    return this.listEntries.execute(auditReader(user), query);
  }

  @Get('export')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'The audit trail as CSV, newest first, streamed (the export is itself audited: audit.export)',
    description:
      `${FILTERS}Columns: ${AUDIT_CSV_HEADER}; detail is the entry's JSON; actor_name and target_name, last so that the columns before them keep their places, ` +
      "are the list's actorName and targetName, empty where those are null (a name that starts like a spreadsheet formula gets a leading ').",
  })
  @ApiOkResponse({ description: `UTF-8 CSV with a byte-order mark, header ${AUDIT_CSV_HEADER}`, schema: { type: 'string' } })
  async export(@CurrentUser() user: AuthUser, @Query() query: AuditFilterQuery, @Req() request: FastifyRequest): Promise<StreamableFile> {
    const stream = await this.exportEntries.execute(auditReader(user), query, requestIdOf(request));
    return new StreamableFile(stream, { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="audit-trail.csv"' });
  }
}
