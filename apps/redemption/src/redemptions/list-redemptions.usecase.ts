import { Inject, Injectable } from '@nestjs/common';
import { decodeIdCursor, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { RedemptionRow, RedemptionView, redemptionView } from '../checkout/redemption.view';
import { DayPageQuery } from './day-page.query';

/** A merchant's own redemptions, newest first: the merchant comes from the token, never from the request. */
@Injectable()
export class ListRedemptions {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(merchantId: string, query: DayPageQuery): Promise<Page<RedemptionView>> {
    const after = decodeIdCursor(query.cursor);
    const rows: RedemptionRow[] = await this.db.query(
      `SELECT r.public_id, v.public_id AS voucher_public_id, r.merchant_order_no, r.order_amount_fen, r.discount_fen,
              r.status, r.redeemed_at, to_char(r.business_date, 'YYYY-MM-DD') AS business_date, r.code_digest
         FROM redemptions r
         JOIN merchants m ON m.id = r.merchant_id
         JOIN vouchers v ON v.id = r.voucher_id
        WHERE m.public_id = $1::uuid
          AND ($2::date IS NULL OR r.business_date = $2::date)
          AND ($3::uuid IS NULL OR r.public_id < $3::uuid)
        ORDER BY r.public_id DESC
        LIMIT $4`,
      [merchantId, query.date ?? null, after, query.limit + 1],
    );
    return toPage(rows, query.limit, (row) => [row.public_id], redemptionView);
  }
}
