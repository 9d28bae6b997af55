import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { decodeDayCursor, Fen, Page, toPage } from '@vouchers/common';
import { SettlementBatch } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { BATCH_STATUSES, ListBatchesQuery } from './list-batches.query';

export class BatchSummary {
  @ApiProperty({ description: 'Public id of the batch', format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-26' })
  businessDate: string;

  @ApiProperty({ enum: BATCH_STATUSES })
  status: string;

  @ApiProperty({ type: 'integer' })
  lineCount: number;

  @ApiProperty({ type: 'integer', description: 'What the batch pays: its pending lines, in fen' })
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
