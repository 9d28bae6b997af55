import { EntityManager, In } from 'typeorm';
import { AuditEntry } from './entities';

/** The most entries a subject's history shows; the whole of it is in the audit trail (GET /v1/audit/entries). */
export const HISTORY_LIMIT = 100;

/**
 * The history of one subject (a campaign's moves, a merchant's review, a batch's decisions),
 * read from the audit log: each of those moves is recorded there in the transaction that makes
 * it, so the log is the one record of who moved what, from what to what, and when. Newest
 * first, at most HISTORY_LIMIT entries; served by audit_log_target_idx.
 */
export function auditHistoryOf(manager: EntityManager, targetType: string, targetId: string, actions: readonly string[]): Promise<AuditEntry[]> {
  return manager.find(AuditEntry, {
    where: { targetType, targetId, action: In([...actions]) },
    order: { id: 'DESC' },
    take: HISTORY_LIMIT,
  });
}
