import { AuthUser } from '@vouchers/auth';
import { AppError, isPublicId } from '@vouchers/common';
import { recordAudit, SettlementBatch } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { SettlementErrorCode as Code } from './settlement-errors';

/** What a locked batch is read for; its adjusters and submitter: four eyes keep them from approving it. */
export type LockedBatch = Pick<SettlementBatch, 'id' | 'publicId' | 'businessDate' | 'status' | 'adjusters' | 'submittedBy'>;

/** Settlement is city money: only city-wide officials read it (batches, lines, reconciliation, the ledger), decide it and pay it. */
export function requireCityOfficial(official: AuthUser): void {
  if (official.district) throw new AppError(Code.CityOfficialRequired, 'Settlement is read, decided and paid by city-wide officials only');
}

/**
 * The batch, locked for the rest of the caller's transaction. Every change to a batch or its
 * lines (decisions, holds, payout files, bank results) takes this lock first, so what a
 * transaction reads of them stays true until it commits.
 */
export async function lockBatch(manager: EntityManager, batchId: string): Promise<LockedBatch> {
  const batch = isPublicId(batchId)
    ? await manager.findOne(SettlementBatch, {
        select: { id: true, publicId: true, businessDate: true, status: true, adjusters: true, submittedBy: true },
        where: { publicId: batchId },
        lock: { mode: 'pessimistic_write' },
      })
    : null;
  if (!batch) throw new AppError(Code.BatchNotFound, 'No such settlement batch');
  return batch;
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
