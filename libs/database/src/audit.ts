import { EntityManager } from 'typeorm';
import { AuditEntry } from './entities';

/**
 * One entry as its writer gives it: who acted (the public id of the official or staff member,
 * and their role), what they did (e.g. campaign.transition, merchant.approve) and to what;
 * the detail ({} when absent) and the request id (null) are optional.
 */
export type AuditRecord = Pick<AuditEntry, 'actorId' | 'actorRole' | 'action' | 'targetType' | 'targetId'> &
  Partial<Pick<AuditEntry, 'detail' | 'requestId'>>;

/**
 * Appends to the audit log inside the caller's transaction, so an action and its record
 * commit or roll back together. The table refuses UPDATE and DELETE.
 */
export async function recordAudit(manager: EntityManager, record: AuditRecord): Promise<void> {
  await manager.insert(AuditEntry, {
    actorId: record.actorId,
    actorRole: record.actorRole,
    action: record.action,
    targetType: record.targetType,
    targetId: record.targetId,
    // jsonb: TypeORM writes it as JSON. (Its deep-partial insert type takes no `unknown` values, hence `object`.)
    detail: (record.detail ?? {}) as object,
    requestId: record.requestId ?? null,
  });
}
