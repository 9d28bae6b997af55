import { Inject, Injectable } from '@nestjs/common';
import { Fen } from '@vouchers/common';
import { LedgerEntry } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { IMBALANCED_POSTINGS, LEDGER_TOTALS } from './ledger-balance.sql';

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
    const [totals]: Array<{ postings: string; debit: string; credit: string; imbalance: string; imbalanced: string }> = await this.db.query(LEDGER_TOTALS);
    const imbalanced: Array<Pick<LedgerEntry, 'postingId'> & { difference: string }> = await this.db.query(IMBALANCED_POSTINGS);
    return {
      postings: Number(totals.postings),
      debitFen: Number(totals.debit),
      creditFen: Number(totals.credit),
      imbalanceFen: Number(totals.imbalance),
      imbalancedPostings: Number(totals.imbalanced),
      imbalanced: imbalanced.map((row) => ({ postingId: row.postingId, differenceFen: Number(row.difference) })),
    };
  }
}
