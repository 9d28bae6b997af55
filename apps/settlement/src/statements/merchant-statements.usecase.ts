import { Inject, Injectable } from '@nestjs/common';
import { decodeDayCursor, Fen, fenFromColumn, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { STATEMENT_COLUMNS, StatementRow, StatementView, statementView } from './statement.view';

export interface DayStatement {
  businessDate: string;
  /** The day's line, once its batch is built; null before. */
  settlement: StatementView | null;
  /** The day's redemptions not tied to a line yet (the day is not settled, or the batch is still building). */
  unsettled: { redemptionCount: number; subsidyFen: Fen };
}

/**
 * A merchant's settlement statements: its lines, batch by batch, and one business day's
 * line. The merchant is the token's; nothing of another merchant is ever read.
 */
@Injectable()
export class MerchantStatements {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async list(merchantId: string, limit: number, cursor: string | undefined): Promise<Page<StatementView>> {
    const after = decodeDayCursor(cursor);
    const rows: StatementRow[] = await this.db.query(
      `SELECT ${STATEMENT_COLUMNS}
         FROM settlement_lines l
         JOIN settlement_batches b ON b.id = l.batch_id
         JOIN merchants m ON m.id = l.merchant_id
        WHERE m.public_id = $1 AND b.status <> 'building' AND ($2::date IS NULL OR b.business_date < $2::date)
        ORDER BY b.business_date DESC
        LIMIT $3`,
      [merchantId, after, limit + 1],
    );
    return toPage(rows, limit, (row) => [row.business_date], statementView);
  }

  async day(merchantId: string, businessDate: string): Promise<DayStatement> {
    const [line]: StatementRow[] = await this.db.query(
      `SELECT ${STATEMENT_COLUMNS}
         FROM settlement_lines l
         JOIN settlement_batches b ON b.id = l.batch_id
         JOIN merchants m ON m.id = l.merchant_id
        WHERE m.public_id = $1 AND b.business_date = $2 AND b.status <> 'building'`,
      [merchantId, businessDate],
    );
    const [open]: Array<{ n: number; subsidy: string }> = await this.db.query(
      `SELECT count(*)::int AS n,
              COALESCE(sum(r.discount_fen) FILTER (WHERE r.status IN ('completed', 'partly_refunded')), 0) AS subsidy
         FROM redemptions r JOIN merchants m ON m.id = r.merchant_id
        WHERE m.public_id = $1 AND r.business_date = $2 AND r.settlement_line_id IS NULL`,
      [merchantId, businessDate],
    );
    return {
      businessDate,
      settlement: line ? statementView(line) : null,
      unsettled: { redemptionCount: open.n, subsidyFen: fenFromColumn(open.subsidy) ?? 0 },
    };
  }
}
