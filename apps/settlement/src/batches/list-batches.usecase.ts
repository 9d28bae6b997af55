import { Inject, Injectable } from '@nestjs/common';
import { decodeDayCursor, Fen, Page, toPage } from '@vouchers/common';
import { SettlementBatch } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { ListBatchesQuery } from './list-batches.query';

export interface BatchSummary {
  id: string;
  businessDate: string;
  status: string;
  lineCount: number;
  totalFen: Fen;
}

/** Settlement batches, latest business day first. */
@Injectable()
export class ListBatches {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(query: ListBatchesQuery): Promise<Page<BatchSummary>> {
    const after = decodeDayCursor(query.cursor);
    const batches = this.db.manager
      .createQueryBuilder(SettlementBatch, 'b')
      .select(['b.publicId', 'b.businessDate', 'b.status', 'b.lineCount', 'b.totalFen'])
      .orderBy('b.businessDate', 'DESC')
      .limit(query.limit + 1);
    if (query.status !== undefined) batches.andWhere('b.status = :status', { status: query.status });
    if (after !== null) batches.andWhere('b.businessDate < :after', { after });
    const rows = await batches.getMany();
    return toPage(rows, query.limit, (row) => [row.businessDate], (row) => ({
      id: row.publicId,
      businessDate: row.businessDate,
      status: row.status,
      lineCount: row.lineCount,
      totalFen: row.totalFen,
    }));
  }
}
