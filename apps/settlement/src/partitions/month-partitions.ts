import { Inject, Injectable, Logger } from '@nestjs/common';
import { ensureMonthPartitions, PartitionsReport } from '@vouchers/database';
import { DataSource } from 'typeorm';

/**
 * The settlement worker's daily `ensure-partitions` job: the month partitions of redemptions,
 * ledger_entries and audit_log from last month to three ahead (docs/partitions.md). Rows left
 * in a DEFAULT partition (a month beyond those made) are logged: the job has not run for a while.
 */
@Injectable()
export class MonthPartitions {
  private readonly logger = new Logger(MonthPartitions.name);

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async run(now = new Date()): Promise<PartitionsReport> {
    const report = await ensureMonthPartitions(this.db.manager, now);
    const waiting = Object.entries(report.inDefault).filter(([, rows]) => rows > 0);
    if (waiting.length > 0) this.logger.warn({ inDefault: report.inDefault }, 'rows wait in a DEFAULT partition: a month beyond those made');
    return report;
  }
}
