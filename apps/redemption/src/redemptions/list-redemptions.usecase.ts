import { Inject, Injectable } from '@nestjs/common';
import { decodeIdCursor, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { merchantRedemptions, redemptionRowOf } from '../checkout/merchant-redemptions';
import { RedemptionView, redemptionView } from '../checkout/redemption.view';
import { DayPageQuery } from './day-page.query';

/** A merchant's own redemptions, newest first: the merchant comes from the token, never from the request. */
@Injectable()
export class ListRedemptions {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(merchantId: string, query: DayPageQuery): Promise<Page<RedemptionView>> {
    const after = decodeIdCursor(query.cursor);
    const page = merchantRedemptions(this.db, merchantId).orderBy('r.publicId', 'DESC').limit(query.limit + 1);
    if (query.date !== undefined) page.andWhere('r.businessDate = :date', { date: query.date });
    if (after !== null) page.andWhere('r.publicId < :after', { after });
    const rows = await page.getMany();
    return toPage(rows, query.limit, (row) => [row.publicId], (row) => redemptionView(redemptionRowOf(row)));
  }
}
