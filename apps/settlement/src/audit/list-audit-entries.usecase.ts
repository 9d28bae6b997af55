import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, Page, toPage } from '@vouchers/common';
import { officialNames } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { AuditEntryView, auditEntryView, namedIdsOf } from './audit-entry.view';
import { AuditReader } from './audit-reader';
import { auditEntries, isEntryId } from './audit-trail';
import { AuditPageQuery } from './audit-trail.query';

/** A page of the audit trail, newest first, each actor (and subject) named where an official, in one read; the cursor carries the last entry's id. */
@Injectable()
export class ListAuditEntries {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(reader: AuditReader, query: AuditPageQuery): Promise<Page<AuditEntryView>> {
    const beforeId = query.cursor === undefined ? null : decodeCursor<[string]>(query.cursor, [isEntryId])[0];
    const rows = await auditEntries(this.db.manager, reader, query, beforeId).limit(query.limit + 1).getMany();
    const names = await officialNames(this.db.manager, namedIdsOf(rows));
    return toPage(rows, query.limit, (row) => [row.id], (row) => auditEntryView(row, names));
  }
}
