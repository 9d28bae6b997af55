import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, Fen, newPublicId } from '@vouchers/common';
import { ledgerAccounts, Merchant, SettlementBatch, SettlementLine } from '@vouchers/database';
import { DataSource, EntityManager } from 'typeorm';
import { auditBatch, LockedBatch, lockBatch, requireCityOfficial } from '../batches/batch-lock';
import { BATCH_STATUSES } from '../batches/list-batches.query';
import { MARK_LINES_FAILED, MARK_LINES_PAID, POST_LINE_PAYMENTS, SETTLE_BATCH } from './bank-results.sql';
import { PayoutErrorCode, ResultRowErrorCode } from './payout-errors';
import { MAX_REPORTED_PROBLEMS, readResultsFile, readUpload, ResultRow, RowProblem } from './read-results-file';

/** A batch takes results once its payout file is out; a finished one takes them again, but only as repeats. */
const TAKES_RESULTS: ReadonlySet<string> = new Set(['paying', 'paid', 'partly_failed']);

export class BankResultsReport {
  @ApiProperty({ format: 'uuid' })
  batchId: string;

  @ApiProperty({ enum: BATCH_STATUSES, description: "The batch's status after this file" })
  status: string;

  @ApiProperty({ type: 'integer', description: 'Rows of the file' })
  rows: number;

  @ApiProperty({ type: 'integer', description: 'Lines newly paid' })
  paid: number;

  @ApiProperty({ type: 'integer', description: 'Lines newly failed' })
  failed: number;

  @ApiProperty({ type: 'integer', description: 'Lines already recorded with the same result (nothing written)' })
  unchanged: number;

  @ApiProperty({ type: 'integer', description: 'What this file newly paid, in fen' })
  paidFen: Fen;

  @ApiProperty({ type: 'integer', description: 'What this file newly recorded as failed, in fen' })
  failedFen: Fen;
}

export interface ResultConflict {
  line: number;
  lineId: string;
  /** What is recorded for the line. */
  recorded: string;
  /** What the file says. */
  result: string;
}

/** A line of the batch the file names, with its merchant joined (an inner join: always there). */
type KnownLine = Pick<SettlementLine, 'id' | 'publicId' | 'status' | 'amountFen'> & { merchant: Pick<Merchant, 'publicId'> };

interface Decided {
  line: KnownLine;
  amount: Fen;
  reason: string | null;
}

/**
 * The bank's result file for a batch being paid (DESIGN §7): per line of the payout file,
 * paid, or failed with the bank's reason. The whole file is checked before anything is
 * written, and applied in one transaction or not at all:
 *
 * - rows that are wrong in themselves or name no payable line of this batch: 422, listed;
 * - rows that contradict a result already recorded (paid vs failed): 409, listed. Such a
 *   line may have been paid twice or not at all, which an official must sort out with the
 *   bank; applying the rest of the file around it would hide that;
 * - a line still pending becomes paid (paid_at, and a ledger posting: payable → paid_out)
 *   or failed (its reason; the next batch's build takes it over and pays it again);
 * - a line already recorded with the same result is left alone (unchanged), so a file
 *   uploaded twice pays nothing twice and posts nothing twice.
 *
 * Once no line is left to pay the batch is paid, or partly_failed when some line failed.
 * Each applied file is audited with its counts, its SHA-256 and any status change.
 */
@Injectable()
export class BankResults {
  private readonly logger = new Logger(BankResults.name);

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async upload(official: AuthUser, batchId: string, body: unknown, requestId: string): Promise<BankResultsReport> {
    requireCityOfficial(official);
    const file = await readResultsFile(await readUpload(body));
    return this.db.transaction(async (manager) => {
      const batch = await lockBatch(manager, batchId);
      if (!TAKES_RESULTS.has(batch.status)) {
        throw new AppError(CommonErrorCode.InvalidTransition, `Bank results are for a batch whose payout file is out; this one is ${batch.status}`, {
          status: batch.status,
        });
      }
      const known = await this.linesOf(manager, batch, file.rows);
      const problems: RowProblem[] = [...file.problems];
      const conflicts: ResultConflict[] = [];
      const toPay: Decided[] = [];
      const toFail: Decided[] = [];
      let unchanged = 0;
      for (const row of file.rows) {
        const line = known.get(row.lineId);
        const problem = (code: ResultRowErrorCode, message: string) => problems.push({ line: row.line, lineId: row.lineId, code, message });
        if (!line) {
          problem(ResultRowErrorCode.UnknownLine, 'This batch has no such line');
          continue;
        }
        const amount = line.amountFen;
        if (amount <= 0 || !['pending', 'paid', 'failed'].includes(line.status)) {
          problem(ResultRowErrorCode.LineNotPayable, `This line was not in the payout file (${amount <= 0 ? 'nothing to pay' : line.status})`);
        } else if (line.status === 'pending') {
          (row.result === 'paid' ? toPay : toFail).push({ line, amount, reason: row.reason });
        } else if (line.status === row.result) {
          unchanged += 1;
        } else {
          conflicts.push({ line: row.line, lineId: row.lineId, recorded: line.status, result: row.result });
        }
      }
      if (problems.length > 0) {
        problems.sort((a, b) => a.line - b.line);
        throw new AppError(PayoutErrorCode.ResultsInvalid, `${problems.length} row(s) of the file are wrong; nothing was applied`, {
          problemCount: problems.length,
          problems: problems.slice(0, MAX_REPORTED_PROBLEMS),
        });
      }
      if (conflicts.length > 0) {
        this.logger.warn({ batchId: batch.publicId, conflicts: conflicts.length, requestId }, 'bank results contradict recorded results; file refused');
        throw new AppError(
          PayoutErrorCode.ResultsConflict,
          `${conflicts.length} row(s) contradict results already recorded; nothing was applied. Check these lines with the bank`,
          { conflictCount: conflicts.length, conflicts: conflicts.slice(0, MAX_REPORTED_PROBLEMS) },
        );
      }
      const paidFen = await this.pay(manager, batch, toPay);
      const failedFen = await this.fail(manager, batch, toFail);
      const status = toPay.length + toFail.length > 0 ? await this.settle(manager, batch, paidFen, failedFen) : batch.status;
      const counts = { rows: file.rows.length, paid: toPay.length, failed: toFail.length, unchanged, paidFen, failedFen };
      await auditBatch(
        manager,
        official,
        'settlement_batch.bank_results',
        batch,
        { ...(status !== batch.status ? { from: batch.status, to: status } : {}), ...counts, sha256: file.sha256 },
        requestId,
      );
      return { batchId: batch.publicId, status, ...counts };
    });
  }

  private async linesOf(manager: EntityManager, batch: LockedBatch, rows: ResultRow[]): Promise<Map<string, KnownLine>> {
    const lines = (await manager
      .createQueryBuilder(SettlementLine, 'l')
      .innerJoin('l.merchant', 'm')
      .select(['l.id', 'l.publicId', 'l.status', 'l.amountFen', 'm.publicId'])
      .where('l.batchId = :batchId', { batchId: batch.id })
      .andWhere('l.publicId = ANY(:lineIds)', { lineIds: rows.map((row) => row.lineId) })
      .getMany()) as KnownLine[];
    return new Map(lines.map((line) => [line.publicId, line]));
  }

  /**
   * Marks the lines paid and posts each to the ledger (what the merchant was owed goes out:
   * debit payable:merchant, credit paid_out, by the line's amount), set-based like the
   * build's netting. Every posting balances by construction: one amount, both sides.
   */
  private async pay(manager: EntityManager, batch: LockedBatch, lines: Decided[]): Promise<Fen> {
    if (lines.length === 0) return 0;
    const [updated]: [Array<Pick<SettlementLine, 'id'>>, number] = await manager.query(MARK_LINES_PAID, [batch.id, lines.map(({ line }) => line.id)]);
    // The batch lock keeps every line as read above; anything else is a bug, not an answer.
    if (updated.length !== lines.length) throw new Error(`batch ${batch.publicId}: ${updated.length} of ${lines.length} lines marked paid`);
    await manager.query(
      POST_LINE_PAYMENTS,
      [
        lines.map(() => newPublicId()),
        lines.map(({ line }) => line.publicId),
        lines.map(({ line }) => ledgerAccounts.payable(line.merchant.publicId)),
        lines.map(({ amount }) => amount),
        ledgerAccounts.paidOut,
      ],
    );
    return sumFen(lines);
  }

  private async fail(manager: EntityManager, batch: LockedBatch, lines: Decided[]): Promise<Fen> {
    if (lines.length === 0) return 0;
    const [updated]: [Array<Pick<SettlementLine, 'id'>>, number] = await manager.query(MARK_LINES_FAILED, [
      batch.id,
      lines.map(({ line }) => line.id),
      lines.map(({ reason }) => reason),
    ]);
    if (updated.length !== lines.length) throw new Error(`batch ${batch.publicId}: ${updated.length} of ${lines.length} lines marked failed`);
    return sumFen(lines);
  }

  /** Adds the file's amounts to the batch; once nothing is left to pay, paid or partly_failed. Returns the status. */
  private async settle(manager: EntityManager, batch: LockedBatch, paidFen: Fen, failedFen: Fen): Promise<string> {
    const [[row]]: [Array<Pick<SettlementBatch, 'status'>>, number] = await manager.query(SETTLE_BATCH, [batch.id, paidFen, failedFen]);
    return row.status;
  }
}

function sumFen(lines: Decided[]): Fen {
  const total = lines.reduce((sum, { amount }) => sum + amount, 0);
  if (!Number.isSafeInteger(total)) throw new RangeError('bank result total is not a safe integer');
  return total;
}
