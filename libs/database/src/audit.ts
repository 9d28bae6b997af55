import { EntityManager } from 'typeorm';

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
  await manager.query(
    `INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, detail, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      record.actorId,
      record.actorRole,
      record.action,
      record.targetType,
      record.targetId,
      JSON.stringify(record.detail ?? {}),
      record.requestId ?? null,
    ],
  );
}
