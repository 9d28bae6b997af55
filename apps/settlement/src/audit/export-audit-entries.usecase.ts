import { Inject, Injectable } from '@nestjs/common';
import { csvLine, inertText } from '@vouchers/common';
import { AuditEntry, recordAudit } from '@vouchers/database';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AuditNames, auditEntryView } from './audit-entry.view';
import { auditNamesOf } from './audit-names';
import { AuditReader } from './audit-reader';
import { auditEntries } from './audit-trail';
import { AuditFilterQuery } from './audit-trail.query';

/** Rows per keyset query: memory holds one chunk, however long the trail. */
const EXPORT_CHUNK_ROWS = 2_000;

/**
 * The columns, in an order readers rely on: those of the first export, then the names added
 * later at the end (a reader by position reads the older ones where they were).
 */
export const AUDIT_CSV_HEADER = 'id,at,actor_id,actor_role,action,target_type,target_id,request_id,detail,actor_name,target_name';

/**
 * The entries a filter selects as CSV, newest first, streamed in keyset chunks as the client
 * reads (as the merchant export), each actor and subject named where an official, a merchant's staff member or a
 * merchant (one look-up a kind a chunk, as a page of the list).
 * The detail is its JSON text. The file starts with a UTF-8 byte-order mark so spreadsheet
 * programs read Chinese names and reasons right. Exporting is itself recorded (audit.export,
 * with the filter), as reading the whole registry is.
 */
@Injectable()
export class ExportAuditEntries {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(reader: AuditReader, filter: AuditFilterQuery, requestId: string | null): Promise<Readable> {
    // The filter as given, copied field by field (the query object carries no other keys).
    const given = Object.fromEntries(Object.entries({ ...filter }).filter(([, value]) => value !== undefined));
    await this.db.transaction((manager) =>
      recordAudit(manager, {
        actorId: reader.sub,
        actorRole: reader.role,
        action: 'audit.export',
        targetType: 'audit_log',
        targetId: 'city',
        detail: { filter: given },
        requestId,
      }),
    );
    return Readable.from(this.chunks(reader, filter), { objectMode: false });
  }

  private async *chunks(reader: AuditReader, filter: AuditFilterQuery): AsyncGenerator<string> {
    yield `\ufeff${AUDIT_CSV_HEADER}\r\n`;
    let beforeId: string | null = null;
    for (;;) {
      const rows: AuditEntry[] = await auditEntries(this.db.manager, reader, filter, beforeId).limit(EXPORT_CHUNK_ROWS).getMany();
      if (rows.length === 0) return;
      const names = await auditNamesOf(this.db.manager, rows);
      yield rows.map((row) => toLine(row, names)).join('');
      beforeId = rows[rows.length - 1].id;
    }
  }
}

function toLine(entry: AuditEntry, names: AuditNames): string {
  const view = auditEntryView(entry, names);
  return csvLine([
    view.id,
    view.at,
    inertText(view.actorId),
    view.actorRole,
    view.action,
    view.targetType,
    inertText(view.targetId),
    view.requestId,
    JSON.stringify(view.detail),
    inertText(view.actorName),
    inertText(view.targetName),
  ]);
}
