import { Inject, Injectable } from '@nestjs/common';
import { decodeIdCursor, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { REFUND_COLUMNS, RefundRow, RefundView, refundView } from '../refunds/refund.view';
import { DayPageQuery } from './day-page.query';

/** A merchant's own refunds, newest first: the merchant comes from the token, never from the request. */
@Injectable()
export class ListRefunds {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(merchantId: string, query: DayPageQuery): Promise<Page<RefundView>> {
    const after = decodeIdCursor(query.cursor);
    const rows: RefundRow[] = await this.db.query(
      `SELECT ${REFUND_COLUMNS}
         FROM refunds f
         JOIN merchants m ON m.id = f.merchant_id
         JOIN redemptions r ON r.id = f.redemption_id
        WHERE m.public_id = $1::uuid
          AND ($2::date IS NULL OR f.business_date = $2::date)
          AND ($3::uuid IS NULL OR f.public_id < $3::uuid)
        ORDER BY f.public_id DESC
        LIMIT $4`,
      [merchantId, query.date ?? null, after, query.limit + 1],
    );
    return toPage(rows, query.limit, (row) => [row.public_id], refundView);
  }
}
