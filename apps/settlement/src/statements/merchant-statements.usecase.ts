import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { decodeDayCursor, Fen, fenFromColumn, Page, toPage } from '@vouchers/common';
import { SettlementLine } from '@vouchers/database';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { UNSETTLED_DAY } from './merchant-statements.sql';
import { STATEMENT_SELECT, StatementLine, StatementView, statementView } from './statement.view';

/** The day's redemptions not tied to a line yet (the day is not settled, or the batch is still building). */
export class UnsettledFigures {
  @ApiProperty({ type: 'integer' })
  redemptionCount: number;

  @ApiProperty({ type: 'integer', description: 'Their subsidy, in fen' })
  subsidyFen: Fen;
}

export class DayStatement {
  @ApiProperty({ description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-26' })
  businessDate: string;

  @ApiProperty({ type: StatementView, nullable: true, description: "The day's line, once its batch is built; null before" })
  settlement: StatementView | null;

  @ApiProperty({ type: UnsettledFigures })
  unsettled: UnsettledFigures;
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
    const query = this.linesOf(merchantId).orderBy('b.businessDate', 'DESC').limit(limit + 1);
    if (after !== null) query.andWhere('b.businessDate < :after', { after });
    const rows = (await query.getMany()) as StatementLine[];
    return toPage(rows, limit, (row) => [row.batch.businessDate], statementView);
  }

  async day(merchantId: string, businessDate: string): Promise<DayStatement> {
    const line = (await this.linesOf(merchantId).andWhere('b.businessDate = :businessDate', { businessDate }).getOne()) as StatementLine | null;
    const [open]: Array<{ n: number; subsidy: string }> = await this.db.query(UNSETTLED_DAY, [merchantId, businessDate]);
    return {
      businessDate,
      settlement: line ? statementView(line) : null,
      unsettled: { redemptionCount: open.n, subsidyFen: fenFromColumn(open.subsidy) ?? 0 },
    };
  }

  /** The merchant's lines of built batches, each with its batch (inner joins). */
  private linesOf(merchantId: string): SelectQueryBuilder<SettlementLine> {
    return this.db.manager
      .createQueryBuilder(SettlementLine, 'l')
      .innerJoin('l.batch', 'b')
      .innerJoin('l.merchant', 'm')
      .select(STATEMENT_SELECT)
      .where('m.publicId = :merchantId', { merchantId })
      .andWhere("b.status <> 'building'");
  }
}
