import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn } from './columns';

/**
 * One leg of a double-entry posting. Entries sharing a postingId balance (debits = credits);
 * entries are never updated or deleted, only reversed by new postings. Partitioned by month of
 * createdAt (docs/partitions.md): the key holds it, as Postgres wants of a partitioned table.
 */
@Entity('ledger_entries')
@Index('ledger_entries_posting_idx', ['postingId'])
@Index('ledger_entries_account_idx', ['account'])
@Check('ledger_entries_one_side_check', '("debit_fen" > 0 AND "credit_fen" = 0) OR ("credit_fen" > 0 AND "debit_fen" = 0)')
export class LedgerEntry {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'ledger_entries_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  postingId: string;

  /** e.g. budget:city, budget:district:haishu, payable:merchant:<publicId> */
  @Column({ type: 'varchar', length: 96 })
  account: string;

  @Column(fenColumn({ default: 0 }))
  debitFen: number;

  @Column(fenColumn({ default: 0 }))
  creditFen: number;

  @Column({ type: 'varchar', length: 32 })
  refType: string;

  @Column({ type: 'uuid' })
  refId: string;

  @CreateDateColumn({ type: 'timestamptz', primary: true, primaryKeyConstraintName: 'ledger_entries_pkey' })
  createdAt: Date;
}
