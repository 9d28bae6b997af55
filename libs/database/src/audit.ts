import { EntityManager } from 'typeorm';
import { AuditEntry } from './entities';

export interface AuditRecord {
  /** Public id of the official or staff member who acted. */
  actorId: string;
  actorRole: string;
  /** e.g. campaign.transition, merchant.approve */
  action: string;
  targetType: string;
  targetId: string;
  detail?: Record<string, unknown>;
  requestId?: string | null;
}

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
