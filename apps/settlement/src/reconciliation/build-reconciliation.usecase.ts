import { Inject, Injectable } from '@nestjs/common';
import { AppError, isPublicId } from '@vouchers/common';
import { ledgerAccounts, officialNames, SettlementBatch } from '@vouchers/database';
import { Between, DataSource, EntityManager, QueryRunner } from 'typeorm';
import { actorsOf, BatchView, batchView } from '../batches/batch.view';
import { SettlementErrorCode } from '../batches/settlement-errors';
import { FLOW_FIGURES, LINE_FIGURES, VOUCHER_FIGURES } from './figures.sql';
import { LEDGER_CHECK } from './ledger-check.sql';
import { ReconciliationReport } from './reconciliation.report';
import { CheckRow, checksOf, FlowRow, flowsOf, fundingOf, LineRow, settlementOf, VoucherRow, vouchersOf } from './reconciliation.rows';
import { checkedRange, DayRange, REPORT_LIST_LIMIT } from './reconciliation-range';
import { EXPORT_SNAPSHOT, READ_ONLY_WITH_WORK_MEM } from './report-snapshot.sql';
import { SETTLEMENT_CHECK } from './settlement-check.sql';

/**
 * Memory for each sort, hash join and aggregate of a report. At a day of the benchmark's size
 * (two million redemptions) the ledger check's comparison (~140 MB) stays in memory; its sort
 * of the legs spills to disk, which costs less than the hash aggregates more memory invites.
 */
const REPORT_WORK_MEM = '192MB';

/** What pg_export_snapshot answers; checked before it is written into SET TRANSACTION SNAPSHOT (which takes no parameters). */
const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i;

/**
 * The one statement of the report written at run time: SET TRANSACTION SNAPSHOT takes no
 * parameters and cannot be prepared (so it cannot be a named statement), and must come
 * before any other statement of the importing transaction. Only an id of pg_export_snapshot's
 * form is written into it.
 */
function importSnapshot(snapshot: string): string {
  if (!SNAPSHOT_ID.test(snapshot)) throw new Error(`unexpected snapshot id ${snapshot}`);
  return `SET TRANSACTION SNAPSHOT '${snapshot}'`;
}

interface Snapshot {
  /** Runs the ledger check (the longest statement). */
  main: EntityManager;
  /** Runs everything else meanwhile, on a second connection. */
  side: EntityManager;
}

/**
 * The reconciliation report of a range of business days, or of one batch (its business day).
 *
 * Every statement reads one snapshot: a read-only REPEATABLE READ transaction exports it and a
 * second one imports it, so the figures and the checks all see the same moment (a refund or a
 * payment committing meanwhile cannot show up in one part and not in another as a false
 * difference), while the ledger check runs on one connection and the rest on the other.
 */
@Injectable()
export class BuildReconciliation {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  forRange(from: string, to: string): Promise<ReconciliationReport> {
    const range = checkedRange(from, to);
    return this.inSnapshot((snapshot) => this.build(snapshot, range, null));
  }

  forBatch(batchId: string): Promise<ReconciliationReport> {
    return this.inSnapshot(async (snapshot) => {
      const row = isPublicId(batchId) ? await snapshot.main.findOneBy(SettlementBatch, { publicId: batchId }) : null;
      if (!row) throw new AppError(SettlementErrorCode.BatchNotFound, 'No such settlement batch');
      const batch = batchView(row, await officialNames(snapshot.main, actorsOf(row)));
      return this.build(snapshot, { from: batch.businessDate, to: batch.businessDate }, batch);
    });
  }

  private async inSnapshot<T>(work: (snapshot: Snapshot) => Promise<T>): Promise<T> {
    const runners: QueryRunner[] = [this.db.createQueryRunner(), this.db.createQueryRunner()];
    const [main, side] = runners;
    try {
      await main.startTransaction('REPEATABLE READ');
      await main.query(READ_ONLY_WITH_WORK_MEM, [REPORT_WORK_MEM]);
      const [{ snapshot }]: Array<{ snapshot: string }> = await main.query(EXPORT_SNAPSHOT);
      await side.startTransaction('REPEATABLE READ');
      await side.query(importSnapshot(snapshot));
      await side.query(READ_ONLY_WITH_WORK_MEM, [REPORT_WORK_MEM]);
      return await work({ main: main.manager, side: side.manager });
    } finally {
      // Read-only: rolling back ends the transactions without a trace.
      await Promise.allSettled(
        runners.map(async (runner) => {
          if (runner.isTransactionActive) await runner.rollbackTransaction();
          await runner.release();
        }),
      );
    }
  }

  private async build({ main, side }: Snapshot, range: DayRange, batch: BatchView | null): Promise<ReconciliationReport> {
    const days = [range.from, range.to];
    const [ledger, rest] = await Promise.all([
      main.query(LEDGER_CHECK, [
        ...days,
        REPORT_LIST_LIMIT,
        ledgerAccounts.cityBudget,
        ledgerAccounts.districtBudgetPrefix,
        ledgerAccounts.payablePrefix,
        ledgerAccounts.clawbackPrefix,
        ledgerAccounts.paidOut,
      ]) as Promise<CheckRow[]>,
      (async () => ({
        vouchers: (await side.query(VOUCHER_FIGURES, days)) as VoucherRow[],
        flows: (await side.query(FLOW_FIGURES, days)) as FlowRow[],
        lines: (await side.query(LINE_FIGURES, days)) as LineRow[],
        batches: await side.find(SettlementBatch, { where: { businessDate: Between(range.from, range.to) }, order: { businessDate: 'ASC' } }),
        settlement: (await side.query(SETTLEMENT_CHECK, [...days, REPORT_LIST_LIMIT])) as CheckRow[],
      }))(),
    ]);
    const names = await officialNames(side, rest.batches.flatMap(actorsOf));
    return {
      from: range.from,
      to: range.to,
      batch,
      generatedAt: new Date().toISOString(),
      vouchers: vouchersOf(rest.vouchers),
      ...flowsOf(rest.flows, fundingOf(ledger)),
      settlement: settlementOf(rest.lines, rest.batches.map((row) => batchView(row, names))),
      ...checksOf([...ledger, ...rest.settlement.map((row) => ({ ...row, section: 'difference' as const, posting_id: null }))]),
    };
  }
}
