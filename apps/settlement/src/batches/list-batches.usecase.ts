import { Inject, Injectable } from '@nestjs/common';
import { decodeDayCursor, Fen, fenFromColumn, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { ListBatchesQuery } from './list-batches.query';

export interface BatchSummary {
  id: string;
  businessDate: string;
  status: string;
  lineCount: number;
  totalFen: Fen;
}

interface BatchRow {
  public_id: string;
  business_date: string;
  status: string;
  line_count: number;
  total_fen: string;
}

/** Settlement batches, latest business day first. */
@Injectable()
export class ListBatches {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(query: ListBatchesQuery): Promise<Page<BatchSummary>> {
    const after = decodeDayCursor(query.cursor);
    const rows: BatchRow[] = await this.db.query(
      `SELECT public_id, to_char(business_date, 'YYYY-MM-DD') AS business_date, status, line_count, total_fen
         FROM settlement_batches
        WHERE ($1::text IS NULL OR status = $1::text)
          AND ($2::date IS NULL OR business_date < $2::date)
        ORDER BY business_date DESC
        LIMIT $3`,
      [query.status ?? null, after, query.limit + 1],
    );
    return toPage(rows, query.limit, (row) => [row.business_date], (row) => ({
      id: row.public_id,
      businessDate: row.business_date,
      status: row.status,
      lineCount: row.line_count,
      totalFen: fenFromColumn(row.total_fen) ?? 0,
    }));
  }
}
