import { Inject, Injectable } from '@nestjs/common';
import { decodeIdCursor, Fen, fenFromColumn, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { ListRedemptionsQuery } from './list-redemptions.query';

export interface RedemptionView {
  id: string;
  merchantOrderNo: string;
  orderAmountFen: Fen;
  discountFen: Fen;
  status: string;
  redeemedAt: string;
  businessDate: string;
}

interface RedemptionRow {
  public_id: string;
  merchant_order_no: string;
  order_amount_fen: string;
  discount_fen: string;
  status: string;
  redeemed_at: Date;
  business_date: string;
}

/** A merchant's own redemptions: the merchant comes from the token, never from the request. */
@Injectable()
export class ListRedemptions {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(merchantId: string, query: ListRedemptionsQuery): Promise<Page<RedemptionView>> {
    const after = decodeIdCursor(query.cursor);
    const rows: RedemptionRow[] = await this.db.query(
      `SELECT r.public_id, r.merchant_order_no, r.order_amount_fen, r.discount_fen, r.status, r.redeemed_at,
              to_char(r.business_date, 'YYYY-MM-DD') AS business_date
         FROM redemptions r
         JOIN merchants m ON m.id = r.merchant_id
        WHERE m.public_id = $1::uuid
          AND ($2::date IS NULL OR r.business_date = $2::date)
          AND ($3::uuid IS NULL OR r.public_id < $3::uuid)
        ORDER BY r.public_id DESC
        LIMIT $4`,
      [merchantId, query.date ?? null, after, query.limit + 1],
    );
    return toPage(rows, query.limit, (row) => [row.public_id], (row) => ({
      id: row.public_id,
      merchantOrderNo: row.merchant_order_no,
      orderAmountFen: fenFromColumn(row.order_amount_fen) ?? 0,
      discountFen: fenFromColumn(row.discount_fen) ?? 0,
      status: row.status,
      redeemedAt: row.redeemed_at.toISOString(),
      businessDate: row.business_date,
    }));
  }
}
