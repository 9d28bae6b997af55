import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { maskBankAccount, sealBankAccount } from '@vouchers/common';
import { parse } from 'csv-parse';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { testConfig } from './apps';
import { financeOfficial } from './settlement';

export interface BankAccount {
  name: string;
  bank: string;
  number: string;
}

/** Sets a merchant's bank details as onboarding would store them: the number sealed, and masked. */
export async function giveBankAccount(db: DataSource, merchantId: string, account: BankAccount): Promise<void> {
  await db.query(
    `UPDATE merchants SET bank_account_name = $2, bank_name = $3, bank_account_cipher = $4, bank_account_masked = $5 WHERE public_id = $1`,
    [merchantId, account.name, account.bank, sealBankAccount(account.number, testConfig().bankAccountKey), maskBankAccount(account.number)],
  );
}

/** CSV text (no BOM) to records of named fields, by its header. */
export function csvRecords(text: string): Promise<Array<Record<string, string>>> {
  return new Promise((resolve, reject) => {
    parse(text, { columns: true }, (error, records: Array<Record<string, string>> | undefined) => (error ? reject(error) : resolve(records ?? [])));
  });
}

export const downloadPayoutFile = (app: NestFastifyApplication, batchId: string, headers = financeOfficial()) =>
  request(app.getHttpServer()).get(`/v1/settlement/batches/${batchId}/payout-file`).set(headers);

export const uploadBankResults = (app: NestFastifyApplication, batchId: string, body: string | Buffer, headers = financeOfficial()) =>
  request(app.getHttpServer()).post(`/v1/settlement/batches/${batchId}/bank-results`).set(headers).set('content-type', 'text/csv; charset=utf-8').send(body);

/** A bank result file: header and one row per [lineId, result, reason]. */
export function resultsFile(rows: Array<[string, string, string?]>): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return ['line_id,result,reason', ...rows.map(([lineId, result, reason]) => [lineId, result, reason ?? ''].map(field).join(','))].join('\r\n') + '\r\n';
}

/**
 * What a payout or result request may change, for `nothing changed` checks: the batch, its
 * lines, and the counts of ledger entries and audit entries (both append-only).
 */
export async function payoutState(db: DataSource, batchId: string): Promise<unknown> {
  const [batch] = await db.query('SELECT status, total_fen, paid_fen, failed_fen FROM settlement_batches WHERE public_id = $1', [batchId]);
  const lines = await db.query(
    `SELECT l.public_id, l.status, l.failure_reason, l.paid_at FROM settlement_lines l JOIN settlement_batches b ON b.id = l.batch_id
      WHERE b.public_id = $1 ORDER BY l.public_id`,
    [batchId],
  );
  const [{ ledger }] = await db.query('SELECT count(*)::int AS ledger FROM ledger_entries');
  const [{ audit }] = await db.query('SELECT count(*)::int AS audit FROM audit_log');
  return { batch, lines, ledger, audit };
}
