import { Clawback, Refund } from '@vouchers/database';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { RefundRow } from './refund.view';

/** A refund as refundReads loads it: with its redemption's keys (its public id) and, when it became one, its clawback. */
type RefundRead = Refund & { clawback?: Clawback | null };

/** Refunds with what RefundRow needs, for the caller to filter (by the caller's merchant, always). */
export function refundReads(db: DataSource | EntityManager): SelectQueryBuilder<RefundRead> {
  return db
    .getRepository<RefundRead>(Refund)
    .createQueryBuilder('f')
    .select(['f.id', 'f.publicId', 'f.redemptionId', 'f.merchantRefundNo', 'f.refundAmountFen', 'f.customerRefundFen'])
    .addSelect(['f.discountReversedFen', 'f.refundedAt', 'f.businessDate', 'r.redemptionId', 'r.publicId'])
    .innerJoin('f.redemptionKey', 'r')
    .leftJoinAndMapOne('f.clawback', Clawback, 'c', 'c.refundId = f.id');
}

/** A refund read by refundReads, as the views take it. */
export function refundRowOf(refund: RefundRead): RefundRow {
  return { ...refund, redemptionPublicId: refund.redemptionKey?.publicId ?? '', clawback: Boolean(refund.clawback) };
}
