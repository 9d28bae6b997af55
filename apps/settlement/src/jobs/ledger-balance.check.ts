import { Inject, Injectable } from '@nestjs/common';
import { Fen } from '@vouchers/common';
import { DataSource } from 'typeorm';

export interface LedgerBalanceReport {
  postings: number;
  debitFen: Fen;
  creditFen: Fen;
  /** Every posting whose legs do not balance, with by how much (debits − credits). */
  imbalanced: Array<{ postingId: string; differenceFen: Fen }>;
}

/** Invariant 6 over the whole ledger, in one set-based pass. */
@Injectable()
export class LedgerBalanceCheck {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async run(): Promise<LedgerBalanceReport> {
    const [totals]: Array<{ postings: string; debit: string; credit: string }> = await this.db.query(
      `SELECT count(DISTINCT posting_id) AS postings, COALESCE(sum(debit_fen), 0) AS debit, COALESCE(sum(credit_fen), 0) AS credit
         FROM ledger_entries`,
    );
    const imbalanced: Array<{ posting_id: string; difference: string }> = await this.db.query(
      `SELECT posting_id, sum(debit_fen) - sum(credit_fen) AS difference
         FROM ledger_entries
        GROUP BY posting_id
       HAVING sum(debit_fen) <> sum(credit_fen)
        ORDER BY posting_id
        LIMIT 1000`,
    );
    return {
      postings: Number(totals.postings),
      debitFen: Number(totals.debit),
      creditFen: Number(totals.credit),
      imbalanced: imbalanced.map((row) => ({ postingId: row.posting_id, differenceFen: Number(row.difference) })),
    };
  }
}
