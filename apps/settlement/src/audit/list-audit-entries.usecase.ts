import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { AuditEntryView, auditEntryView } from './audit-entry.view';
import { AuditReader } from './audit-reader';
import { auditEntries, isEntryId } from './audit-trail';
import { AuditPageQuery } from './audit-trail.query';

/** A page of the audit trail, newest first; the cursor carries the last entry's id. */
@Injectable()
export class ListAuditEntries {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(reader: AuditReader, query: AuditPageQuery): Promise<Page<AuditEntryView>> {
    const beforeId = query.cursor === undefined ? null : decodeCursor<[string]>(query.cursor, [isEntryId])[0];
    const rows = await auditEntries(this.db.manager, reader, query, beforeId).limit(query.limit + 1).getMany();
    return toPage(rows, query.limit, (row) => [row.id], auditEntryView);
  }
}
