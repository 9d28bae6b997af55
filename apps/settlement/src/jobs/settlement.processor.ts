import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { LedgerBalanceCheck, LedgerBalanceReport } from './ledger-balance.check';
import { SETTLEMENT_QUEUE, SettlementJob } from './settlement-jobs';

/** Runs settlement jobs. Each job re-reads Postgres; payloads carry ids, never copies of rows. */
@Processor(SETTLEMENT_QUEUE)
export class SettlementProcessor extends WorkerHost {
  private readonly logger = new Logger(SettlementProcessor.name);

  constructor(@Inject(LedgerBalanceCheck) private readonly ledgerBalance: LedgerBalanceCheck) {
    super();
  }

  async process(job: Job): Promise<LedgerBalanceReport> {
    switch (job.name as SettlementJob) {
      case SettlementJob.CheckLedgerBalance: {
        const report = await this.ledgerBalance.run();
        if (report.imbalanced.length > 0) {
          this.logger.error({ imbalanced: report.imbalanced.length }, 'ledger postings do not balance');
        }
        return report;
      }
      default:
        // A job nobody handles would otherwise retry forever.
        throw new UnrecoverableError(`no handler for job ${job.name}`);
    }
  }
}
