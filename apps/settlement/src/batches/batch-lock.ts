import { AuthUser } from '@vouchers/auth';
import { AppError, isPublicId } from '@vouchers/common';
import { recordAudit } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { SettlementErrorCode as Code } from './settlement-errors';

export interface LockedBatch {
  id: string;
  publicId: string;
  businessDate: string;
  status: string;
  /** Who last re-opened or adjusted it: four eyes keep them from approving it. */
  adjustedBy: string | null;
}

/** Settlement is city money: only city-wide finance officials decide and pay it. */
export function requireCityOfficial(official: AuthUser): void {
  if (official.district) throw new AppError(Code.CityOfficialRequired, 'Settlement is decided and paid by city-wide finance officials');
}

/**
 * The batch, locked for the rest of the caller's transaction. Every change to a batch or its
 * lines (decisions, holds, payout files, bank results) takes this lock first, so what a
 * transaction reads of them stays true until it commits.
 */
export async function lockBatch(manager: EntityManager, batchId: string): Promise<LockedBatch> {
  const [batch]: Array<{ id: string; public_id: string; business_date: string; status: string; adjusted_by: string | null }> = isPublicId(batchId)
    ? await manager.query(
        `SELECT id, public_id, to_char(business_date, 'YYYY-MM-DD') AS business_date, status, adjusted_by
           FROM settlement_batches WHERE public_id = $1 FOR UPDATE`,
        [batchId],
      )
    : [];
  if (!batch) throw new AppError(Code.BatchNotFound, 'No such settlement batch');
  return { id: batch.id, publicId: batch.public_id, businessDate: batch.business_date, status: batch.status, adjustedBy: batch.adjusted_by };
}

export function auditBatch(
  manager: EntityManager,
  official: AuthUser,
  action: string,
  batch: LockedBatch,
  detail: Record<string, unknown>,
  requestId: string,
): Promise<void> {
  return recordAudit(manager, {
    actorId: official.sub,
    actorRole: official.role,
    action,
    targetType: 'settlement_batch',
    targetId: batch.publicId,
    detail,
    requestId,
  });
}
