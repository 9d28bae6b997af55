import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, decodeIdCursor, isPublicId, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { SettlementFlow } from '../build/settlement-flow';
import { requireCityOfficial } from './batch-lock';
import { BATCH_COLUMNS, BatchRow, BatchView, batchView, LINE_COLUMNS, LineRow, LineView, lineView } from './batch.view';
import { SettlementErrorCode as Code } from './settlement-errors';

/** A batch and its lines as finance officials and auditors read them; and starting a day's build. */
@Injectable()
export class ReadBatches {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SettlementFlow) private readonly flow: SettlementFlow,
  ) {}

  /**
   * Starting a day's build is the city's decision, like every decision after it: a
   * district-scoped finance official is refused (403 CITY_OFFICIAL_REQUIRED) before anything
   * is opened or queued.
   */
  async start(official: AuthUser, businessDate: string): Promise<BatchView> {
    requireCityOfficial(official);
    const opened = await this.flow.start(businessDate);
    return this.get(opened.publicId);
  }

  async get(batchId: string): Promise<BatchView> {
    const [row]: BatchRow[] = isPublicId(batchId)
      ? await this.db.query(`SELECT ${BATCH_COLUMNS} FROM settlement_batches WHERE public_id = $1`, [batchId])
      : [];
    if (!row) throw new AppError(Code.BatchNotFound, 'No such settlement batch');
    return batchView(row);
  }

  async lines(batchId: string, status: string | undefined, limit: number, cursor: string | undefined): Promise<Page<LineView>> {
    const after = decodeIdCursor(cursor);
    await this.get(batchId);
    const rows: LineRow[] = await this.db.query(
      `SELECT ${LINE_COLUMNS}
         FROM settlement_lines l JOIN settlement_batches b ON b.id = l.batch_id JOIN merchants m ON m.id = l.merchant_id
        WHERE b.public_id = $1 AND ($2::text IS NULL OR l.status = $2) AND ($3::uuid IS NULL OR l.public_id > $3::uuid)
        ORDER BY l.public_id
        LIMIT $4`,
      [batchId, status ?? null, after, limit + 1],
    );
    return toPage(rows, limit, (row) => [row.public_id], lineView);
  }
}
