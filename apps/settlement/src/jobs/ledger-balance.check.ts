import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Fen } from '@vouchers/common';
import { LedgerEntry } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { IMBALANCED_POSTINGS, LEDGER_TOTALS } from './ledger-balance.sql';

export class ImbalancedPosting {
  @ApiProperty({ description: 'The posting whose legs do not balance' })
  postingId: string;

  @ApiProperty({ type: 'integer', description: 'Debits - credits, in fen' })
  differenceFen: Fen;
}

export class LedgerBalanceReport {
  @ApiProperty({ type: 'integer' })
  postings: number;

  @ApiProperty({ type: 'integer', description: 'All debits, in fen' })
  debitFen: Fen;

  @ApiProperty({ type: 'integer', description: 'All credits, in fen' })
  creditFen: Fen;

  @ApiProperty({ type: 'integer', description: 'Sum over every posting of |debits - credits|: 0 when the ledger balances' })
  imbalanceFen: Fen;

  @ApiProperty({ type: 'integer' })
  imbalancedPostings: number;

  @ApiProperty({ type: [ImbalancedPosting], description: 'Every posting whose legs do not balance' })
  imbalanced: ImbalancedPosting[];
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
