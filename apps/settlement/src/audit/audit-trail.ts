import { AuditEntry } from '@vouchers/database';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditReader } from './audit-reader';
import { AuditFilterQuery } from './audit-trail.query';

/** The largest bigint: an entry id past it cannot name a row, and Postgres would refuse it (a 500). */
const MAX_ENTRY_ID = 9_223_372_036_854_775_807n;

/** An entry id as a cursor carries it: digits of a positive bigint. */
export function isEntryId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= MAX_ENTRY_ID;
}

/** LIKE's wildcards taken literally (an action has underscores: merchant.staff_added). */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The entries a filter selects, newest first (by entry id, the order they were recorded in),
 * those before `beforeId` when given. Only an AuditReader (checked city-wide) may read them.
 * Each filter has an index behind it (see AuditEntry); the action prefix is a LIKE with a
 * literal prefix, which the (action, id) index serves under the C collation.
 */
export function auditEntries(
  manager: EntityManager,
  _reader: AuditReader,
  filter: AuditFilterQuery,
  beforeId: string | null,
): SelectQueryBuilder<AuditEntry> {
  const entries = manager.createQueryBuilder(AuditEntry, 'e').orderBy('e.id', 'DESC');
  if (filter.actorId !== undefined) entries.andWhere('e.actorId = :actorId', { actorId: filter.actorId });
  if (filter.targetType !== undefined) entries.andWhere('e.targetType = :targetType', { targetType: filter.targetType });
  if (filter.targetId !== undefined) entries.andWhere('e.targetId = :targetId', { targetId: filter.targetId });
  if (filter.action !== undefined) {
    if (filter.action.endsWith('.')) entries.andWhere('e.action LIKE :actionPrefix', { actionPrefix: `${likeLiteral(filter.action)}%` });
    else entries.andWhere('e.action = :action', { action: filter.action });
  }
  if (filter.from !== undefined) entries.andWhere('e.at >= :from', { from: new Date(filter.from) });
  if (filter.to !== undefined) entries.andWhere('e.at < :to', { to: new Date(filter.to) });
  if (beforeId !== null) entries.andWhere('e.id < :beforeId', { beforeId });
  return entries;
}
