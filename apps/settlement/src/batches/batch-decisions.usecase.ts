import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, isPublicId } from '@vouchers/common';
import { SettlementBatch, SettlementLine } from '@vouchers/database';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { LINE_STATUSES } from './batch-dtos';
import { auditBatch, LockedBatch, lockBatch, requireCityOfficial } from './batch-lock';
import { canMove, OfficialMove, OFFICIAL_MOVES } from './batch-states';
import { BATCH_STATUSES } from './list-batches.query';
import { SettlementErrorCode as Code } from './settlement-errors';

/** A decision moves a batch, or (a hold) one of its lines. */
const DECIDED_STATUSES = [...new Set<string>([...BATCH_STATUSES, ...LINE_STATUSES])];

const MOVE_WORDS: Record<OfficialMove, string> = { submit: 'submitted for approval', approve: 'approved', reopen: 're-opened' };

/** Makes the official (the `by` parameter) the batch's last adjuster, and one of its adjusters once. */
const ADJUSTED: QueryDeepPartialEntity<SettlementBatch> = { adjustedBy: () => ':by', adjusters: () => 'array_append(array_remove(adjusters, :by), :by)' };

/** What each move writes: submit and approve record who and when; a re-open clears both and adds the mover to the adjusters. */
function changesOf(move: OfficialMove, by: string): QueryDeepPartialEntity<SettlementBatch> {
  const to = OFFICIAL_MOVES[move].to;
  if (move === 'submit') return { status: to, submittedBy: by, submittedAt: () => 'now()' };
  if (move === 'approve') return { status: to, approvedBy: by, approvedAt: () => 'now()' };
  return { status: to, submittedBy: null, submittedAt: null, approvedBy: null, approvedAt: null, ...ADJUSTED };
}

/** A decision on a batch (or a line of it): the batch, its status before and after, and who decided. */
export class Decision {
  @ApiProperty({ format: 'uuid' })
  batchId: string;

  @ApiProperty({ enum: DECIDED_STATUSES, description: "The batch's status before; for a held line, the line's (pending)" })
  from: string;

  @ApiProperty({ enum: DECIDED_STATUSES, description: "The batch's status after; for a held line, the line's (held)" })
  to: string;

  @ApiProperty({ description: 'Public id of the official who decided' })
  by: string;
}

/**
 * What finance officials decide on a batch: submit a built one for approval once checked (复核),
 * approve a submitted one (审批), re-open a submitted or approved one, or hold a line (take it
 * out of this payment; it is carried into the next batch). Four eyes: whoever submitted, re-opened
 * or adjusted a batch may not approve it (the table refuses it too). Settlement is
 * city money, so only city-wide finance officials decide. Every decision goes to the audit log.
 */
@Injectable()
export class BatchDecisions {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  move(official: AuthUser, batchId: string, move: OfficialMove, requestId: string): Promise<Decision> {
    return this.db.transaction(async (manager) => {
      const batch = await this.lock(manager, official, batchId);
      if (!canMove(move, batch.status)) {
        throw new AppError(CommonErrorCode.InvalidTransition, `A ${batch.status} batch cannot be ${MOVE_WORDS[move]}`, {
          status: batch.status,
        });
      }
      if (move === 'approve' && (batch.adjusters.includes(official.sub) || batch.submittedBy === official.sub)) {
        throw new AppError(CommonErrorCode.FourEyesRequired, 'You submitted, re-opened or adjusted this batch: another finance official must approve it');
      }
      const to = OFFICIAL_MOVES[move].to;
      await manager
        .createQueryBuilder()
        .update(SettlementBatch)
        .set(changesOf(move, official.sub))
        .where({ id: batch.id })
        .setParameter('by', official.sub)
        .execute();
      await auditBatch(manager, official, `settlement_batch.${move}`, batch, { from: batch.status, to }, requestId);
      return { batchId, from: batch.status, to, by: official.sub };
    });
  }

  /** Holds one pending line of a batch awaiting approval: not paid now, carried into the next batch. */
  holdLine(official: AuthUser, batchId: string, lineId: string, reason: string, requestId: string): Promise<Decision> {
    return this.db.transaction(async (manager) => {
      const batch = await this.lock(manager, official, batchId);
      if (batch.status !== 'pending_approval') {
        throw new AppError(CommonErrorCode.InvalidTransition, `Lines of a ${batch.status} batch cannot be held`, { status: batch.status });
      }
      // The batch lock keeps the line as read until the update below commits.
      const line = isPublicId(lineId)
        ? await manager.findOne(SettlementLine, {
            select: { id: true, amountFen: true },
            where: { batchId: batch.id, publicId: lineId, status: 'pending' },
          })
        : null;
      if (!line) throw new AppError(Code.LineNotFound, 'This batch has no such line waiting for payment');
      await manager.update(SettlementLine, { id: line.id }, { status: 'held', failureReason: reason });
      await manager
        .createQueryBuilder()
        .update(SettlementBatch)
        .set({ totalFen: () => 'total_fen - :held', ...ADJUSTED })
        .where({ id: batch.id })
        .setParameters({ held: line.amountFen, by: official.sub })
        .execute();
      await auditBatch(manager, official, 'settlement_line.hold', batch, { lineId, reason, amountFen: line.amountFen }, requestId);
      return { batchId, from: 'pending', to: 'held', by: official.sub };
    });
  }

  private async lock(manager: EntityManager, official: AuthUser, batchId: string): Promise<LockedBatch> {
    requireCityOfficial(official);
    return lockBatch(manager, batchId);
  }
}
