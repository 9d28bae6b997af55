import { Inject, Injectable } from '@nestjs/common';
import { decodeIdCursor, Page, toPage } from '@vouchers/common';
import { Resident, Voucher, VoucherKey } from '@vouchers/database';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { shownVoucherStatus } from './resident-vouchers.sql';
import { OwnedVoucher, toVoucherView, VoucherView } from './voucher.view';

/** The status its owner sees, in the query builder's names. */
const SHOWN_VOUCHER_STATUS = shownVoucherStatus('v.status', 'v.expiresAt');

/**
 * A resident's vouchers, always read through the resident's own id from the token: there is
 * no query here that takes a voucher id without the owner beside it.
 */
@Injectable()
export class ResidentVouchers {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async findOne(residentId: string, voucherId: string): Promise<VoucherView | null> {
    const [found] = await read(ownedVouchers(this.db, residentId).andWhere('k.publicId = :voucherId', { voucherId }));
    return found ?? null;
  }

  async findForRound(residentId: string, roundId: string): Promise<VoucherView | null> {
    const [found] = await read(ownedVouchers(this.db, residentId).andWhere('r.publicId = :roundId', { roundId }));
    return found ?? null;
  }

  /** Whether the resident holds a voucher grabbed with this Idempotency-Key, in any campaign: one probe of voucher_keys' unique key. */
  holdsKey(residentId: string, idempotencyKey: string): Promise<boolean> {
    return this.db.manager
      .createQueryBuilder(VoucherKey, 'k')
      .innerJoin(Resident, 'res', 'res.id = k.residentId')
      .where('res.publicId = :residentId AND k.idempotencyKey = :idempotencyKey', { residentId, idempotencyKey })
      .getExists();
  }

  async list(residentId: string, status: string | undefined, limit: number, cursor?: string): Promise<Page<VoucherView>> {
    const after = decodeIdCursor(cursor);
    const query = ownedVouchers(this.db, residentId);
    if (status !== undefined) query.andWhere(`${SHOWN_VOUCHER_STATUS} = :status`, { status });
    if (after !== null) query.andWhere('k.publicId < :after', { after });
    const views = await read(query.orderBy('v.publicId', 'DESC').limit(limit + 1));
    return toPage(views, limit, (view) => [view.id], (view) => view);
  }
}

/**
 * A resident's vouchers with what their views show; callers add the filter, order and limit.
 * Found in voucher_keys by the owner (its index leads with the resident), then each read by
 * (campaign, id): a run enters only the partitions of the campaigns the resident holds vouchers
 * of, where a read of vouchers by resident would probe every campaign's partition.
 */
export function ownedVouchers(db: DataSource, residentId: string): SelectQueryBuilder<Voucher> {
  return db.manager
    .createQueryBuilder(Voucher, 'v')
    .innerJoin(VoucherKey, 'k', 'k.campaignId = v.campaignId AND k.voucherId = v.id')
    .innerJoin(Resident, 'res', 'res.id = k.residentId')
    .innerJoinAndSelect('v.campaign', 'c')
    .innerJoinAndSelect('v.round', 'r')
    .innerJoinAndSelect('r.voucherType', 't')
    .addSelect(SHOWN_VOUCHER_STATUS, 'shown_status')
    .where('res.publicId = :residentId', { residentId });
}

/** The views of the vouchers found, in the query's order; each shows the status computed beside its row. */
async function read(query: SelectQueryBuilder<Voucher>): Promise<VoucherView[]> {
  const { entities, raw } = await query.getRawAndEntities<{ v_id: string; shown_status: string }>();
  const shown = new Map(raw.map((row) => [String(row.v_id), row.shown_status]));
  return entities.map((voucher) => toVoucherView(voucher as OwnedVoucher, shown.get(voucher.id) ?? voucher.status));
}
