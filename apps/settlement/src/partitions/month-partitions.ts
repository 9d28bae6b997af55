import { Inject, Injectable, Logger } from '@nestjs/common';
import { ensureCampaignPartitions, ensureMonthPartitions, PARTITION_LOCK_WAIT_MS, PartitionsReport } from '@vouchers/database';
import { DataSource } from 'typeorm';

/**
 * The settlement worker's daily `ensure-partitions` job: the month partitions of redemptions,
 * ledger_entries and audit_log from last month to three ahead (docs/partitions.md). Rows left
 * in a DEFAULT partition (a month beyond those made) are logged: the job has not run for a while.
 * Also the partition of vouchers of any campaign without one (made by SQL, or whose creation
 * could not wait for the lock), its vouchers moved out of DEFAULT. Each waits PARTITION_LOCK_WAIT_MS
 * at most for its locks, so a long reader of a table delays that table's partitions to the next
 * run instead of holding every till and refund behind the job.
 */
@Injectable()
export class MonthPartitions {
  private readonly logger = new Logger(MonthPartitions.name);

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async run(now = new Date()): Promise<PartitionsReport> {
    const report = await ensureMonthPartitions(this.db.manager, now, PARTITION_LOCK_WAIT_MS);
    if (report.waited.length > 0) this.logger.warn({ waited: report.waited }, 'partitions left to the next run: a lock was not had in time');
    const campaigns = await ensureCampaignPartitions(this.db.manager, PARTITION_LOCK_WAIT_MS);
    if (campaigns > 0) this.logger.log({ campaigns }, "campaigns' partitions of vouchers made");
    const waiting = Object.entries(report.inDefault).filter(([, rows]) => rows > 0);
    if (waiting.length > 0) this.logger.warn({ inDefault: report.inDefault }, 'rows wait in a DEFAULT partition: a month beyond those made');
    return report;
  }
}
