import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, isPublicId } from '@vouchers/common';
import { auditHistoryOf, officialNames, SettlementBatch } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { requireCityOfficial } from './batch-lock';
import { BATCH_ACTIONS, batchEventOf, BatchHistoryView } from './batch-history.view';
import { SettlementErrorCode as Code } from './settlement-errors';

/**
 * What was done to a batch and by whom (built, lines held, approved, re-opened, paid), from
 * the audit log, where each of those is recorded in the transaction that does it. City-wide
 * only, like the decisions it shows and like the audit trail it is a slice of: a batch has no
 * district to scope it by.
 */
@Injectable()
export class BatchHistory {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(official: AuthUser, batchId: string): Promise<BatchHistoryView> {
    requireCityOfficial(official);
    const batch = isPublicId(batchId)
      ? await this.db.manager.findOne(SettlementBatch, { select: { publicId: true, status: true }, where: { publicId: batchId } })
      : null;
    if (!batch) throw new AppError(Code.BatchNotFound, 'No such settlement batch');
    const entries = await auditHistoryOf(this.db.manager, 'settlement_batch', batch.publicId, BATCH_ACTIONS);
    const names = await officialNames(this.db.manager, entries.map((entry) => entry.actorId));
    return { batchId: batch.publicId, status: batch.status, history: entries.map((entry) => batchEventOf(entry, names)) };
  }
}
