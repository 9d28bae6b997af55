import { Inject, Injectable } from '@nestjs/common';
import { Fen } from '@vouchers/common';
import { DataSource } from 'typeorm';

export interface LedgerBalanceReport {
  postings: number;
  debitFen: Fen;
  creditFen: Fen;
  /** Sum over every posting of |debits − credits|: 0 when the ledger balances. */
  imbalanceFen: Fen;
  imbalancedPostings: number;
  /** Every posting whose legs do not balance, with by how much (debits − credits). */
  imbalanced: Array<{ postingId: string; differenceFen: Fen }>;
}

/** Invariant 6 over the whole ledger, in one set-based pass. */
@Injectable()
export class LedgerBalanceCheck {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async run(): Promise<LedgerBalanceReport> {
    const [totals]: Array<{ postings: string; debit: string; credit: string; imbalance: string; imbalanced: string }> = await this.db.query(
      `SELECT count(*) AS postings, COALESCE(sum(debit), 0) AS debit, COALESCE(sum(credit), 0) AS credit,
              COALESCE(sum(abs(debit - credit)), 0) AS imbalance, count(*) FILTER (WHERE debit <> credit) AS imbalanced
         FROM (SELECT sum(debit_fen) AS debit, sum(credit_fen) AS credit FROM ledger_entries GROUP BY posting_id) p`,
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
      imbalanceFen: Number(totals.imbalance),
      imbalancedPostings: Number(totals.imbalanced),
      imbalanced: imbalanced.map((row) => ({ postingId: row.posting_id, differenceFen: Number(row.difference) })),
    };
  }
}
