import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, csvLine, Fen, fenToYuan, inertText, openBankAccount } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { Merchant, SettlementBatch, SettlementLine } from '@vouchers/database';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SettlementErrorCode as Code } from '../batches/settlement-errors';
import { auditBatch, LockedBatch, lockBatch, requireCityOfficial } from '../batches/batch-lock';
import { PAYOUT_CSV_HEADER } from './payout-csv';
import { PayoutErrorCode } from './payout-errors';

/** Rows per keyset query: the database sends the lines a chunk at a time. */
const CHUNK_ROWS = 2_000;
/** A refusal names at most this many lines; lineCount counts them all. */
const MAX_LISTED_LINES = 1_000;

export interface PayoutFile {
  fileName: string;
  /** UTF-8 with a byte-order mark, CRLF lines, header PAYOUT_CSV_HEADER. */
  content: Buffer;
  lineCount: number;
  totalFen: Fen;
  /** The batch's status after this download. */
  status: string;
}

/** A line to pay, with its merchant joined (an inner join: always there). */
type PayableLine = Pick<
  SettlementLine,
  | 'merchantId'
  | 'publicId'
  | 'creditCode'
  | 'bankAccountName'
  | 'bankName'
  | 'bankAccountCipher'
  | 'bankAccountMasked'
  | 'amountFen'
  | 'cityFen'
  | 'districtFen'
> & { merchant: Pick<Merchant, 'publicId'> };

interface UnpayableLine {
  lineId: string;
  merchantId: string;
  problem: 'BANK_DETAILS_MISSING' | 'BANK_ACCOUNT_UNREADABLE';
}

/**
 * The payout file of an approved batch (DESIGN §7): one row per line still to pay (pending,
 * amount > 0) with the bank details snapshotted at build time, the full account number
 * opened here and nowhere else. The first download starts the payment (approved → paying);
 * later downloads, while the bank's results are still coming in, list only the lines that
 * have no result yet, so a file never asks the bank to pay a line it has already paid.
 *
 * The file is made inside one transaction holding the batch lock, in full, before anything
 * is sent: it matches the audit entry exactly (line count, total, SHA-256), and a line that
 * cannot be paid (no bank details at build time, or a cipher this server cannot open)
 * refuses the whole download with 409, naming the lines, instead of a file the bank would
 * pay in part. Such lines are taken out by re-opening the batch and holding them (they are
 * then carried into the next batch), and the batch is approved again.
 */
@Injectable()
export class PayoutFiles {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  download(official: AuthUser, batchId: string, requestId: string): Promise<PayoutFile> {
    requireCityOfficial(official);
    return this.db.transaction(async (manager) => {
      const batch = await lockBatch(manager, batchId);
      if (batch.status !== 'approved' && batch.status !== 'paying') {
        throw AppError.conflict(Code.InvalidTransition, `A payout file is made for an approved batch; this one is ${batch.status}`, {
          status: batch.status,
        });
      }
      const { text, lineCount, totalFen } = await this.write(manager, batch);
      const content = Buffer.from(text, 'utf8');
      const fileName = `payout-${batch.businessDate}.csv`;
      // An approved batch with nothing left to pay (every line held) is paid by its (empty) file.
      const to = batch.status === 'approved' ? (lineCount === 0 ? 'paid' : 'paying') : batch.status;
      if (to !== batch.status) await manager.update(SettlementBatch, { id: batch.id }, { status: to });
      await auditBatch(
        manager,
        official,
        'settlement_batch.payout_file',
        batch,
        {
          ...(to !== batch.status ? { from: batch.status, to } : {}),
          fileName,
          lineCount,
          totalFen,
          sha256: createHash('sha256').update(content).digest('hex'),
        },
        requestId,
      );
      return { fileName, content, lineCount, totalFen, status: to };
    });
  }

  private async write(manager: EntityManager, batch: LockedBatch): Promise<{ text: string; lineCount: number; totalFen: Fen }> {
    // The byte-order mark lets spreadsheet programs read the Chinese names right.
    const parts = [`\ufeff${PAYOUT_CSV_HEADER}\r\n`];
    const unpayable: UnpayableLine[] = [];
    let lineCount = 0;
    let totalFen = 0;
    // Keyset on merchant_id: unique within a batch, and the lead of an index after batch_id.
    let after = '0';
    for (;;) {
      const rows = (await manager
        .createQueryBuilder(SettlementLine, 'l')
        .innerJoin('l.merchant', 'm')
        .select([
          'l.merchantId',
          'l.publicId',
          'l.creditCode',
          'l.bankAccountName',
          'l.bankName',
          'l.bankAccountCipher',
          'l.bankAccountMasked',
          'l.amountFen',
          'l.cityFen',
          'l.districtFen',
          'm.publicId',
        ])
        .where("l.batchId = :batchId AND l.status = 'pending' AND l.amountFen > 0 AND l.merchantId > :after", { batchId: batch.id, after })
        .orderBy('l.merchantId')
        .limit(CHUNK_ROWS)
        .getMany()) as PayableLine[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1].merchantId;
      for (const row of rows) {
        const accountNumber = this.accountNumberOf(row, unpayable);
        if (accountNumber === null) continue;
        const amount = row.amountFen;
        lineCount += 1;
        totalFen += amount;
        parts.push(
          csvLine([
            row.publicId,
            batch.publicId,
            batch.businessDate,
            row.merchant.publicId,
            inertText(row.creditCode),
            inertText(row.bankAccountName),
            inertText(row.bankName),
            inertText(accountNumber),
            inertText(row.bankAccountMasked),
            amount,
            fenToYuan(amount),
            row.cityFen,
            row.districtFen,
          ]),
        );
      }
    }
    if (unpayable.length > 0) {
      throw AppError.conflict(
        PayoutErrorCode.BankDetailsMissing,
        `${unpayable.length} line(s) to pay have no usable bank details; re-open the batch, hold them and approve it again`,
        { lineCount: unpayable.length, lines: unpayable.slice(0, MAX_LISTED_LINES) },
      );
    }
    if (!Number.isSafeInteger(totalFen)) throw new RangeError(`payout total of batch ${batch.publicId} is not a safe integer`);
    return { text: parts.join(''), lineCount, totalFen };
  }

  /** The full account number, or null (and the line noted) when it is missing or cannot be opened. */
  private accountNumberOf(row: PayableLine, unpayable: UnpayableLine[]): string | null {
    const line = { lineId: row.publicId, merchantId: row.merchant.publicId };
    if (!row.bankAccountCipher || !row.bankAccountName || !row.bankName) {
      unpayable.push({ ...line, problem: 'BANK_DETAILS_MISSING' });
      return null;
    }
    try {
      return openBankAccount(row.bankAccountCipher, this.config.bankAccountKey);
    } catch {
      unpayable.push({ ...line, problem: 'BANK_ACCOUNT_UNREADABLE' });
      return null;
    }
  }
}
