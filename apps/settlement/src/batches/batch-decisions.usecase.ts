import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, isPublicId } from '@vouchers/common';
import { DataSource, EntityManager } from 'typeorm';
import { auditBatch, LockedBatch, lockBatch, requireCityOfficial } from './batch-lock';
import { canMove, OfficialMove, OFFICIAL_MOVES } from './batch-states';
import { SettlementErrorCode as Code } from './settlement-errors';

export interface Decision {
  batchId: string;
  from: string;
  to: string;
  by: string;
}

/**
 * What finance officials decide on a batch: approve it, re-open an approved one, or hold a
 * line (take it out of this payment; it is carried into the next batch). Four eyes: whoever
 * last re-opened or adjusted a batch may not approve it. Settlement is city money, so only
 * city-wide finance officials decide. Every decision goes to the audit log.
 */
@Injectable()
export class BatchDecisions {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  move(official: AuthUser, batchId: string, move: OfficialMove, requestId: string): Promise<Decision> {
    return this.db.transaction(async (manager) => {
      const batch = await this.lock(manager, official, batchId);
      if (!canMove(move, batch.status)) {
        throw new AppError(CommonErrorCode.InvalidTransition, `A ${batch.status} batch cannot be ${move === 'approve' ? 'approved' : 're-opened'}`, {
          status: batch.status,
        });
      }
      if (move === 'approve' && batch.adjustedBy === official.sub) {
        throw new AppError(CommonErrorCode.FourEyesRequired, 'You re-opened or adjusted this batch: another finance official must approve it');
      }
      const to = OFFICIAL_MOVES[move].to;
      await manager.query(
        `UPDATE settlement_batches
            SET status = $2::text,
                approved_by = CASE WHEN $2::text = 'approved' THEN $3::uuid END,
                approved_at = CASE WHEN $2::text = 'approved' THEN now() END,
                adjusted_by = CASE WHEN $2::text = 'approved' THEN adjusted_by ELSE $3::uuid END
          WHERE id = $1`,
        [batch.id, to, official.sub],
      );
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
      const [held]: [Array<{ amount_fen: string }>, number] = await manager.query(
        `UPDATE settlement_lines SET status = 'held', failure_reason = $3
          WHERE batch_id = $1 AND public_id = $2 AND status = 'pending' RETURNING amount_fen`,
        [batch.id, isPublicId(lineId) ? lineId : null, reason],
      );
      if (held.length === 0) throw new AppError(Code.LineNotFound, 'This batch has no such line waiting for payment');
      await manager.query('UPDATE settlement_batches SET total_fen = total_fen - $2, adjusted_by = $3 WHERE id = $1', [
        batch.id,
        held[0].amount_fen,
        official.sub,
      ]);
      await auditBatch(manager, official, 'settlement_line.hold', batch, { lineId, reason, amountFen: Number(held[0].amount_fen) }, requestId);
      return { batchId, from: 'pending', to: 'held', by: official.sub };
    });
  }

  private async lock(manager: EntityManager, official: AuthUser, batchId: string): Promise<LockedBatch> {
    requireCityOfficial(official);
    return lockBatch(manager, batchId);
  }
}
