import { Inject, Injectable } from '@nestjs/common';
import { decodeIdCursor, Page, toPage } from '@vouchers/common';
import { Merchant } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { refundReads, refundRowOf } from '../refunds/refund-reads';
import { RefundView, refundView } from '../refunds/refund.view';
import { DayPageQuery } from './day-page.query';

/** A merchant's own refunds, newest first: the merchant comes from the token, never from the request. */
@Injectable()
export class ListRefunds {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(merchantId: string, query: DayPageQuery): Promise<Page<RefundView>> {
    const after = decodeIdCursor(query.cursor);
    const page = refundReads(this.db)
      .innerJoin(Merchant, 'm', 'm.id = f.merchantId')
      .where('m.publicId = :merchantId', { merchantId })
      .orderBy('f.publicId', 'DESC')
      .limit(query.limit + 1);
    if (query.date !== undefined) page.andWhere('f.businessDate = :date', { date: query.date });
    if (after !== null) page.andWhere('f.publicId < :after', { after });
    const rows = await page.getMany();
    return toPage(rows, query.limit, (row) => [row.publicId], (row) => refundView(refundRowOf(row)));
  }
}
