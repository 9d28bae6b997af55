import { Redemption } from '@vouchers/database';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { RedemptionPlace } from './redemption-place';
import { RedemptionRow } from './redemption.view';

/**
 * A merchant's redemptions, with what RedemptionRow needs, for the caller to filter further.
 * The merchant is the caller's (from the token), never one named in the request. The voucher's
 * public id comes from voucher_keys: vouchers, partitioned by campaign, would be probed in every
 * campaign's partition for it.
 */
export function merchantRedemptions(db: DataSource | EntityManager, merchantPublicId: string): SelectQueryBuilder<Redemption> {
  return db
    .getRepository(Redemption)
    .createQueryBuilder('r')
    .select(['r.id', 'r.publicId', 'r.merchantOrderNo', 'r.orderAmountFen', 'r.discountFen', 'r.status', 'r.redeemedAt'])
    .addSelect(['r.businessDate', 'r.codeDigest', 'vk.voucherId', 'vk.publicId'])
    .innerJoin('r.merchant', 'm')
    .innerJoin('r.voucherKey', 'vk')
    .where('m.publicId = :merchantPublicId', { merchantPublicId });
}

/** The merchant's redemption at this place (redemption-place.ts), read in its month's partition only. */
export function placedRedemption(db: DataSource | EntityManager, merchantPublicId: string, place: RedemptionPlace): SelectQueryBuilder<Redemption> {
  return merchantRedemptions(db, merchantPublicId).andWhere('r.id = :id AND r.businessDate = :businessDate', place);
}

/** A redemption read by merchantRedemptions, as the views take it. */
export function redemptionRowOf(redemption: Redemption): RedemptionRow {
  return { ...redemption, voucherPublicId: redemption.voucherKey?.publicId ?? '' };
}
