import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, decodeIdCursor, isPublicId, Page, toPage } from '@vouchers/common';
import { officialNames, SettlementBatch, SettlementLine } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { SettlementFlow } from '../build/settlement-flow';
import { requireCityOfficial } from './batch-lock';
import { actorsOf, BatchView, batchView, LINE_VIEW_SELECT, LineView, lineView, ViewedLine } from './batch.view';
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
  async start(official: AuthUser, businessDate: string, requestId: string): Promise<BatchView> {
    requireCityOfficial(official);
    const opened = await this.flow.start(businessDate, { actorId: official.sub, actorRole: official.role, requestId });
    return this.get(opened.publicId);
  }

  async get(batchId: string): Promise<BatchView> {
    const batch = isPublicId(batchId) ? await this.db.manager.findOneBy(SettlementBatch, { publicId: batchId }) : null;
    if (!batch) throw new AppError(Code.BatchNotFound, 'No such settlement batch');
    return batchView(batch, await officialNames(this.db.manager, actorsOf(batch)));
  }

  async lines(batchId: string, status: string | undefined, limit: number, cursor: string | undefined): Promise<Page<LineView>> {
    const after = decodeIdCursor(cursor);
    await this.get(batchId);
    const query = this.db.manager
      .createQueryBuilder(SettlementLine, 'l')
      .innerJoin('l.batch', 'b')
      .innerJoin('l.merchant', 'm')
      .select(LINE_VIEW_SELECT)
      .where('b.publicId = :batchId', { batchId })
      .orderBy('l.publicId')
      .limit(limit + 1);
    if (status !== undefined) query.andWhere('l.status = :status', { status });
    if (after !== null) query.andWhere('l.publicId > :after', { after });
    // Inner joins: every line read has its merchant.
    const rows = (await query.getMany()) as ViewedLine[];
    return toPage(rows, limit, (row) => [row.publicId], lineView);
  }
}
