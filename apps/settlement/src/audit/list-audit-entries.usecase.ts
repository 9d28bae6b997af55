import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { AuditEntryView, auditEntryView } from './audit-entry.view';
import { auditNamesOf } from './audit-names';
import { AuditReader } from './audit-reader';
import { auditEntries, isEntryId } from './audit-trail';
import { AuditPageQuery } from './audit-trail.query';

/**
 * A page of the audit trail, newest first, each actor and subject named where an official, a
 * merchant's staff member or a merchant (one read a kind for the page); the cursor carries the last entry's id.
 */
@Injectable()
export class ListAuditEntries {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(reader: AuditReader, query: AuditPageQuery): Promise<Page<AuditEntryView>> {
    const beforeId = query.cursor === undefined ? null : decodeCursor<[string]>(query.cursor, [isEntryId])[0];
    const rows = await auditEntries(this.db.manager, reader, query, beforeId).limit(query.limit + 1).getMany();
    const names = await auditNamesOf(this.db.manager, rows);
    return toPage(rows, query.limit, (row) => [row.id], (row) => auditEntryView(row, names));
  }
}
