import { Redemption } from '@vouchers/database';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { RedemptionRow } from './redemption.view';

/**
 * A merchant's redemptions, with what RedemptionRow needs, for the caller to filter further.
 * The merchant is the caller's (from the token), never one named in the request.
 */
export function merchantRedemptions(db: DataSource | EntityManager, merchantPublicId: string): SelectQueryBuilder<Redemption> {
  return db
    .getRepository(Redemption)
    .createQueryBuilder('r')
    .select(['r.id', 'r.publicId', 'r.merchantOrderNo', 'r.orderAmountFen', 'r.discountFen', 'r.status', 'r.redeemedAt'])
    .addSelect(['r.businessDate', 'r.codeDigest', 'v.id', 'v.publicId'])
    .innerJoin('r.merchant', 'm')
    .innerJoin('r.voucher', 'v')
    .where('m.publicId = :merchantPublicId', { merchantPublicId });
}

/** A redemption read by merchantRedemptions, as the views take it. */
export function redemptionRowOf(redemption: Redemption): RedemptionRow {
  return { ...redemption, voucherPublicId: redemption.voucher?.publicId ?? '' };
}
