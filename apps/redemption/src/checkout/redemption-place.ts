import { Merchant, RedemptionKey } from '@vouchers/database';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Where a redemption's row is: its id and business day, its month partition's key. Read from
 * redemption_keys (one probe of a unique key) by what the request knows, an order number or a
 * public id, so the row itself is then read with its day bound: Postgres plans that read over one
 * month's partition only, where a read by order number or public id alone would be planned and
 * probed in every month's (docs/partitions.md, "Lookups without a date").
 */
export interface RedemptionPlace {
  id: string;
  businessDate: string;
}

const placeOf = (key: Pick<RedemptionKey, 'redemptionId' | 'businessDate'> | null): RedemptionPlace | null =>
  // No date: a key of a month archived before keys held one; its redemption is no longer read.
  key?.businessDate ? { id: key.redemptionId, businessDate: key.businessDate } : null;

/** The redemption with this public id, of any merchant (the read that follows checks the merchant). */
export async function placeByPublicId(db: DataSource | EntityManager, publicId: string): Promise<RedemptionPlace | null> {
  return placeOf(await db.getRepository(RedemptionKey).findOne({ select: { redemptionId: true, businessDate: true }, where: { publicId } }));
}

/** The merchant's redemption with this order number. */
export async function placeByOrderNo(db: DataSource | EntityManager, merchantPublicId: string, orderNo: string): Promise<RedemptionPlace | null> {
  const key = await db
    .getRepository(RedemptionKey)
    .createQueryBuilder('k')
    .select(['k.redemptionId', 'k.businessDate'])
    .innerJoin(Merchant, 'km', 'km.id = k.merchantId')
    .where('km.publicId = :merchantPublicId AND k.merchantOrderNo = :orderNo', { merchantPublicId, orderNo })
    .getOne();
  return placeOf(key);
}
