import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { CheckoutRig, TestTill } from './support/checkout';
import {
  BankAccount,
  csvRecords,
  downloadPayoutFile,
  giveBankAccount,
  payoutState,
  resultsFile,
  uploadBankResults,
} from './support/payouts';
import { approveBatch, financeOfficial, lineOfMerchant, linesOfBatch, settleDay, settlementOverTills, unusedBusinessDay } from './support/settlement';
import { bearer, tokenFor } from './support/tokens';
import type { LineView as Line } from '../apps/settlement/src/batches/batch.view';

const FACE = 1000;
const ORDER = 8000;

const PAYOUT_COLUMNS = [
  'line_id',
  'batch_id',
  'business_date',
  'merchant_id',
  'credit_code',
  'bank_account_name',
  'bank_name',
  'bank_account_number',
  'bank_account_masked',
  'amount_fen',
  'amount_yuan',
  'city_fen',
  'district_fen',
];


/**
 * Vouchers of 1000 fen (half city, half district) redeemed on orders of 8000 fen; batches
 * built by an in-process worker, on a database of this file's own (see isolateThisFile).
 */
describe('settlement: paying a batch through the bank', () => {
  const rig = new CheckoutRig();
  let settlement: NestFastifyApplication;
  let db: DataSource;
  const api = () => request(settlement.getHttpServer());

  const redeem = (till: TestTill) => rig.redeemNew(till, FACE, ORDER);

  /** Redemptions (n per till) moved to a business day no other batch has, and that day settled. */
  async function settle(redemptions: Array<[TestTill, number]>): Promise<{ day: string; batch: Record<string, unknown>; lines: Map<string, Line> }> {
    const ids: string[] = [];
    for (const [till, n] of redemptions) for (let i = 0; i < n; i++) ids.push(await redeem(till));
    const day = await unusedBusinessDay(db);
    await db.query('UPDATE redemptions SET business_date = $2 WHERE public_id = ANY($1::uuid[])', [ids, day]);
    const batch = await settleDay(settlement, day);
    expect(batch.status).toBe('pending_approval');
    return { day, batch, lines: await linesOf(batch.id as string) };
  }

  const linesOf = (batchId: string) => linesOfBatch(settlement, batchId);
  const lineOf = lineOfMerchant;
  const batchOf = async (batchId: string) => (await api().get(`/v1/settlement/batches/${batchId}`).set(financeOfficial()).expect(200)).body;
  const approve = (batchId: string, official?: string) => approveBatch(settlement, batchId, official);
  const auditOf = async (batchId: string): Promise<Array<{ actor_id: string; action: string; detail: Record<string, unknown> }>> =>
    db.query(`SELECT actor_id, action, detail FROM audit_log WHERE target_type = 'settlement_batch' AND target_id = $1 ORDER BY id`, [batchId]);
  const postingsOf = async (lineIds: string[]) => {
    const [row] = await db.query(
      `SELECT count(DISTINCT posting_id)::int AS postings, count(*)::int AS entries FROM ledger_entries
        WHERE ref_type = 'settlement_line' AND ref_id = ANY($1::uuid[])`,
      [lineIds],
    );
    return row as { postings: number; entries: number };
  };

  /** The payout file's rows by merchant, after checking the answer's headers, the BOM and the columns. */
  async function payoutRows(batchId: string, day: string, official = financeOfficial()): Promise<Map<string, Record<string, string>>> {
    const response = await downloadPayoutFile(settlement, batchId, official).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="payout-${day}.csv"`);
    expect(response.headers['cache-control']).toBe('no-store');
    const text = response.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1, text.indexOf('\r\n'))).toBe(PAYOUT_COLUMNS.join(','));
    const records = await csvRecords(text.slice(1));
    return new Map(records.map((record) => [record.merchant_id, record]));
  }

  const apps = settlementOverTills(rig);
  beforeAll(() => {
    [settlement, db] = [apps.app(), apps.db()];
  });

  it('pays an approved batch from its payout file, records the results once, and carries the failed line into the next batch once', async () => {
    const [a, b, c] = await Promise.all([rig.till({ district: 'haishu' }), rig.till({ district: 'yinzhou' }), rig.till({ district: 'cixi' })]);
    const accounts: Record<string, BankAccount> = {
      [a.merchantId]: { name: '宁波"甬城",餐饮有限公司', bank: '中国工商银行宁波分行', number: '6222021234567890123' },
      [b.merchantId]: { name: '=HYPERLINK("http://evil.example")', bank: '@宁波银行', number: '6228480012345678' },
      [c.merchantId]: { name: '测试小馆', bank: '+中国银行', number: '6214830012345678901' },
    };
    for (const [merchantId, account] of Object.entries(accounts)) await giveBankAccount(db, merchantId, account);
    const { day, batch, lines } = await settle([[a, 2], [b, 1], [c, 1]]);
    const [la, lb, lc] = [lineOf(lines, a), lineOf(lines, b), lineOf(lines, c)];
    const batchId = batch.id as string;

    // Officials and auditors reading lines see masked numbers only.
    const listed = await api().get(`/v1/settlement/batches/${batchId}/lines`).set(bearer(tokenFor({ role: Role.Auditor }))).expect(200);
    expect(la.bankAccountMasked).toBe('6222 **** **** 0123');
    for (const account of Object.values(accounts)) expect(listed.text).not.toContain(account.number);

    // Not before approval; then approved by one official, downloaded by another.
    expect((await downloadPayoutFile(settlement, batchId).expect(409)).body).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'pending_approval' } });
    const [approver, payer] = [newPublicId(), newPublicId()];
    await approve(batchId, approver);
    const rows = await payoutRows(batchId, day, financeOfficial(payer));
    expect(rows.size).toBe(3);
    expect(rows.get(a.merchantId)).toEqual({
      line_id: la.id,
      batch_id: batchId,
      business_date: day,
      merchant_id: a.merchantId,
      credit_code: la.creditCode,
      bank_account_name: '宁波"甬城",餐饮有限公司',
      bank_name: '中国工商银行宁波分行',
      bank_account_number: '6222021234567890123',
      bank_account_masked: '6222 **** **** 0123',
      amount_fen: '2000',
      amount_yuan: '20.00',
      city_fen: '1000',
      district_fen: '1000',
    });
    // Text that a spreadsheet would run as a formula is made inert.
    expect(rows.get(b.merchantId)).toMatchObject({
      line_id: lb.id,
      bank_account_name: `'=HYPERLINK("http://evil.example")`,
      bank_name: `'@宁波银行`,
      bank_account_number: '6228480012345678',
      amount_fen: '1000',
      amount_yuan: '10.00',
      city_fen: '500',
      district_fen: '500',
    });
    expect(rows.get(c.merchantId)).toMatchObject({ line_id: lc.id, bank_name: `'+中国银行`, bank_account_number: '6214830012345678901' });
    expect(await batchOf(batchId)).toMatchObject({ status: 'paying', totalFen: 4 * FACE, paidFen: 0, failedFen: 0 });

    // A second download gives the same rows and moves nothing.
    const again = await payoutRows(batchId, day);
    expect([...again.values()]).toEqual([...rows.values()]);

    // The bank's results: b failed.
    const file = resultsFile([
      [la.id, 'paid'],
      [lb.id, 'failed', '户名与账号不符, 请核实'],
      [lc.id, 'PAID', ''],
    ]);
    expect(await postingsOf([la.id, lb.id, lc.id])).toEqual({ postings: 0, entries: 0 });
    const applied = await uploadBankResults(settlement, batchId, file, financeOfficial(payer)).expect(200);
    expect(applied.body).toEqual({ batchId, status: 'partly_failed', rows: 3, paid: 2, failed: 1, unchanged: 0, paidFen: 3 * FACE, failedFen: FACE });
    expect(await batchOf(batchId)).toMatchObject({ status: 'partly_failed', totalFen: 4 * FACE, paidFen: 3 * FACE, failedFen: FACE });
    const decided = await linesOf(batchId);
    expect(lineOf(decided, a)).toMatchObject({ status: 'paid', failureReason: null });
    expect(lineOf(decided, b)).toMatchObject({ status: 'failed', failureReason: '户名与账号不符, 请核实' });
    expect(lineOf(decided, c)).toMatchObject({ status: 'paid' });
    const [{ paidAt }] = await db.query('SELECT count(paid_at)::int AS "paidAt" FROM settlement_lines WHERE public_id = ANY($1::uuid[])', [[la.id, lc.id]]);
    expect(paidAt).toBe(2);
    expect(await postingsOf([la.id, lb.id, lc.id])).toEqual({ postings: 2, entries: 4 });
    const legs = await db.query(
      `SELECT account, debit_fen::int AS debit, credit_fen::int AS credit FROM ledger_entries
        WHERE ref_type = 'settlement_line' AND ref_id = $1 ORDER BY debit_fen DESC`,
      [la.id],
    );
    expect(legs).toEqual([
      { account: `payable:merchant:${a.merchantId}`, debit: 2 * FACE, credit: 0 },
      { account: 'paid_out', debit: 0, credit: 2 * FACE },
    ]);

    // The same file again: nothing changes, nothing is posted twice.
    const before = await payoutState(db, batchId);
    const repeated = await uploadBankResults(settlement, batchId, file, financeOfficial(payer)).expect(200);
    expect(repeated.body).toEqual({ batchId, status: 'partly_failed', rows: 3, paid: 0, failed: 0, unchanged: 3, paidFen: 0, failedFen: 0 });
    expect(await postingsOf([la.id, lb.id, lc.id])).toEqual({ postings: 2, entries: 4 });
    const afterRepeat = (await payoutState(db, batchId)) as { audit: number };
    expect({ ...afterRepeat, audit: afterRepeat.audit - 1 }).toEqual(before);

    // A file contradicting what is recorded is refused whole: nothing changes.
    const unchangedState = await payoutState(db, batchId);
    const conflicting = await uploadBankResults(
      settlement,
      batchId,
      resultsFile([
        [la.id, 'paid'],
        [lb.id, 'paid'],
        [lc.id, 'failed', '账户冻结'],
      ]),
    ).expect(409);
    expect(conflicting.body).toMatchObject({
      code: 'RESULTS_CONFLICT',
      details: {
        conflictCount: 2,
        conflicts: [
          { line: 3, lineId: lb.id, recorded: 'failed', result: 'paid' },
          { line: 4, lineId: lc.id, recorded: 'paid', result: 'failed' },
        ],
      },
    });
    expect(await payoutState(db, batchId)).toEqual(unchangedState);
    // The payment is over: no more payout files.
    expect((await downloadPayoutFile(settlement, batchId).expect(409)).body.code).toBe('INVALID_TRANSITION');

    const audit = await auditOf(batchId);
    expect(audit.map((row) => row.action)).toEqual([
      'settlement_batch.start',
      'settlement_batch.built',
      'settlement_batch.submit',
      'settlement_batch.approve',
      'settlement_batch.payout_file',
      'settlement_batch.payout_file',
      'settlement_batch.bank_results',
      'settlement_batch.bank_results',
    ]);
    expect(audit[4]).toMatchObject({
      actor_id: payer,
      detail: { from: 'approved', to: 'paying', fileName: `payout-${day}.csv`, lineCount: 3, totalFen: 4 * FACE, sha256: expect.any(String) },
    });
    expect(audit[5].detail).not.toHaveProperty('from');
    expect(audit[6]).toMatchObject({ actor_id: payer, detail: { from: 'paying', to: 'partly_failed', paid: 2, failed: 1, unchanged: 0, paidFen: 3 * FACE } });
    expect(audit[7].detail).toMatchObject({ paid: 0, failed: 0, unchanged: 3 });
    expect(audit[7].detail).not.toHaveProperty('to');

    // The next day's batch takes the failed line over: b is owed its new redemption and the failed amount.
    const next = await settle([[b, 1]]);
    const nb = lineOf(next.lines, b);
    expect(nb).toMatchObject({ status: 'pending', carriedFen: FACE, amountFen: 2 * FACE });
    expect(next.lines.has(a.merchantId)).toBe(false);
    const [carried] = await db.query(
      `SELECT count(*)::int AS takers FROM settlement_lines f JOIN settlement_lines n ON n.id = f.carried_into_line_id WHERE f.public_id = $1 AND n.public_id = $2`,
      [lb.id, nb.id],
    );
    expect(carried.takers).toBe(1);
    // Read back, the failed line says it was carried forward (its merchant's statement stops calling it unpaid); the new one does not.
    expect(lineOf(await linesOf(batchId), b)).toMatchObject({ status: 'failed', carriedForward: true });
    expect(nb.carriedForward).toBe(false);
    await approve(next.batch.id as string);
    const nextRows = await payoutRows(next.batch.id as string, next.day);
    expect([...nextRows.keys()]).toEqual([b.merchantId]);
    expect(nextRows.get(b.merchantId)).toMatchObject({ line_id: nb.id, amount_fen: '2000', amount_yuan: '20.00', city_fen: '1000', district_fen: '1000' });
    expect((await uploadBankResults(settlement, next.batch.id as string, resultsFile([[nb.id, 'paid']])).expect(200)).body).toMatchObject({
      status: 'paid',
      paid: 1,
      paidFen: 2 * FACE,
    });
    // The old failed line still cannot be paid: only through the line that took it over.
    expect((await uploadBankResults(settlement, batchId, resultsFile([[lb.id, 'paid']])).expect(409)).body.code).toBe('RESULTS_CONFLICT');

    // A third batch does not carry it again.
    const third = await settle([[b, 1]]);
    expect(lineOf(third.lines, b)).toMatchObject({ carriedFen: 0, amountFen: FACE });
    const [{ carriedTotal }] = await db.query(
      `SELECT sum(l.carried_fen)::int AS "carriedTotal" FROM settlement_lines l JOIN merchants m ON m.id = l.merchant_id WHERE m.public_id = $1`,
      [b.merchantId],
    );
    expect(carriedTotal).toBe(FACE);
  });

  it('finishes a batch paid in two files (the second download lists only lines without a result), and applies a file sent twice at once only once', async () => {
    const tills = await Promise.all([0, 1, 2].map(() => rig.till()));
    for (const [i, till] of tills.entries()) await giveBankAccount(db, till.merchantId, { name: `商户${i}`, bank: '宁波银行', number: `62148300123456${i}` });
    const { day, batch, lines } = await settle(tills.map((till) => [till, 1] as [TestTill, number]));
    const batchId = batch.id as string;
    const [l0, l1, l2] = tills.map((till) => lineOf(lines, till));
    await approve(batchId);
    expect((await payoutRows(batchId, day)).size).toBe(3);

    const first = resultsFile([[l0.id, 'paid']]);
    const [one, two] = await Promise.all([0, 1].map(() => uploadBankResults(settlement, batchId, first).expect(200)));
    expect([one.body, two.body].map((body) => [body.paid, body.unchanged]).sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(one.body.status).toBe('paying');
    expect(await postingsOf([l0.id])).toEqual({ postings: 1, entries: 2 });

    const rest = await payoutRows(batchId, day);
    expect([...rest.values()].map((row) => row.line_id).sort()).toEqual([l1.id, l2.id].sort());
    const done = await uploadBankResults(settlement, batchId, resultsFile([[l1.id, 'paid'], [l2.id, 'paid'], [l0.id, 'paid']])).expect(200);
    expect(done.body).toEqual({ batchId, status: 'paid', rows: 3, paid: 2, failed: 0, unchanged: 1, paidFen: 2 * FACE, failedFen: 0 });
    expect(await batchOf(batchId)).toMatchObject({ status: 'paid', totalFen: 3 * FACE, paidFen: 3 * FACE, failedFen: 0 });
    const audit = await auditOf(batchId);
    expect(audit.filter((row) => row.detail.to !== undefined).map((row) => [row.action, row.detail.from, row.detail.to])).toEqual([
      ['settlement_batch.start', undefined, 'building'],
      ['settlement_batch.built', undefined, 'pending_approval'],
      ['settlement_batch.submit', 'pending_approval', 'submitted'],
      ['settlement_batch.approve', 'submitted', 'approved'],
      ['settlement_batch.payout_file', 'approved', 'paying'],
      ['settlement_batch.bank_results', 'paying', 'paid'],
    ]);
  });

  it('refuses bad result files whole, with a stable code and the problems listed, changing nothing; and other officials', async () => {
    const tills = await Promise.all([0, 1].map(() => rig.till()));
    for (const till of tills) await giveBankAccount(db, till.merchantId, { name: '测试小馆', bank: '宁波银行', number: '6214830012345678901' });
    const { day, batch, lines } = await settle(tills.map((till) => [till, 1] as [TestTill, number]));
    const batchId = batch.id as string;
    const [l0, l1] = tills.map((till) => lineOf(lines, till));
    const otherTill = await rig.till();
    await giveBankAccount(db, otherTill.merchantId, { name: '另一家店', bank: '宁波银行', number: '6214830099999999' });
    const other = await settle([[otherTill, 1]]);
    const otherLine = [...other.lines.values()][0];

    // Before its payout file is out, a batch takes no results.
    expect((await uploadBankResults(settlement, batchId, resultsFile([[l0.id, 'paid']])).expect(409)).body.code).toBe('INVALID_TRANSITION');
    await approve(batchId);
    expect((await uploadBankResults(settlement, batchId, resultsFile([[l0.id, 'paid']])).expect(409)).body).toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { status: 'approved' },
    });

    // District officials and auditors get no payout file and send no results; an unknown batch is 404.
    const district = bearer(tokenFor({ role: Role.FinanceOfficial, district: 'haishu' }));
    const auditor = bearer(tokenFor({ role: Role.Auditor }));
    expect((await downloadPayoutFile(settlement, batchId, district).expect(403)).body.code).toBe('CITY_OFFICIAL_REQUIRED');
    expect((await downloadPayoutFile(settlement, batchId, auditor).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await downloadPayoutFile(settlement, newPublicId()).expect(404)).body.code).toBe('BATCH_NOT_FOUND');
    expect((await downloadPayoutFile(settlement, 'not-an-id').expect(404)).body.code).toBe('BATCH_NOT_FOUND');
    expect((await batchOf(batchId)).status).toBe('approved');
    await payoutRows(batchId, day);

    const unchanged = await payoutState(db, batchId);
    const refuse = async (body: string | Buffer, status: number, code: string) => {
      const response = await uploadBankResults(settlement, batchId, body).expect(status);
      expect(response.body.code).toBe(code);
      return response.body as { details?: Record<string, unknown> };
    };
    expect((await uploadBankResults(settlement, batchId, resultsFile([[l0.id, 'paid']]), district).expect(403)).body.code).toBe('CITY_OFFICIAL_REQUIRED');
    await uploadBankResults(settlement, batchId, resultsFile([[l0.id, 'paid']]), auditor).expect(403);
    expect((await uploadBankResults(settlement, newPublicId(), resultsFile([[l0.id, 'paid']])).expect(404)).body.code).toBe('BATCH_NOT_FOUND');
    await request(settlement.getHttpServer()).post(`/v1/settlement/batches/${batchId}/bank-results`).set('content-type', 'text/csv').send(resultsFile([[l0.id, 'paid']])).expect(401);
    const huge = Buffer.concat([Buffer.from(resultsFile([[l0.id, 'paid']])), Buffer.alloc(33 * 1024 * 1024, 0x0a)]);
    expect((await uploadBankResults(settlement, batchId, huge).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
    const json = await api().post(`/v1/settlement/batches/${batchId}/bank-results`).set(financeOfficial()).send({ rows: [[l0.id, 'paid']] }).expect(415);
    expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await refuse('', 400, 'RESULTS_EMPTY');
    await refuse('line_id,result,reason\r\n', 400, 'RESULTS_EMPTY');
    await refuse(`line_id;result;reason\r\n${l0.id};paid;\r\n`, 400, 'RESULTS_BAD_HEADER');
    await refuse(Buffer.concat([Buffer.from(`line_id,result,reason\r\n${l0.id},failed,`), Buffer.from([0xd5, 0xcb, 0xbb, 0xa7]), Buffer.from('\r\n')]), 400, 'RESULTS_NOT_UTF8');
    await refuse(`line_id,result,reason\r\n${l0.id},failed,"unclosed\r\n`, 400, 'RESULTS_BAD_CSV');

    const invalid = await refuse(
      resultsFile([
        [l0.id, 'paid'],
        [newPublicId(), 'paid'],
        [otherLine.id, 'paid'],
        ['12345', 'paid'],
        [l1.id, 'ok'],
        [l1.id, 'failed'],
      ]) + `${l0.id},paid\r\n`,
      422,
      'RESULTS_INVALID',
    );
    expect(invalid.details).toMatchObject({
      problemCount: 6,
      problems: [
        { line: 3, code: 'UNKNOWN_LINE' },
        { line: 4, lineId: otherLine.id, code: 'UNKNOWN_LINE' },
        { line: 5, lineId: '12345', code: 'BAD_LINE_ID' },
        { line: 6, lineId: l1.id, code: 'BAD_RESULT' },
        { line: 7, lineId: l1.id, code: 'DUPLICATE_IN_FILE' },
        { line: 8, code: 'WRONG_COLUMN_COUNT' },
      ],
    });
    const missingReason = await refuse(resultsFile([[l0.id, 'paid'], [l1.id, 'failed', '  ']]), 422, 'RESULTS_INVALID');
    expect(missingReason.details).toMatchObject({ problemCount: 1, problems: [{ line: 3, lineId: l1.id, code: 'REASON_REQUIRED' }] });
    const tooLong = await refuse(resultsFile([[l1.id, 'failed', '长'.repeat(201)]]), 422, 'RESULTS_INVALID');
    expect(tooLong.details).toMatchObject({ problems: [{ code: 'REASON_TOO_LONG' }] });
    // Postgres text cannot keep a NUL: the row is refused, not the upload answered 500.
    const nul = await refuse(resultsFile([[l0.id, 'paid'], [l1.id, 'failed', '账户\u0000冻结']]), 422, 'RESULTS_INVALID');
    expect(nul.details).toMatchObject({ problemCount: 1, problems: [{ line: 3, lineId: l1.id, code: 'REASON_NOT_TEXT' }] });

    expect(await payoutState(db, batchId)).toEqual(unchanged);
    expect((await batchOf(batchId)).status).toBe('paying');
    // CSV is taken by the bank-results route only.
    const elsewhere = await api().post('/v1/settlement/batches').set(financeOfficial()).set('content-type', 'text/csv').send('businessDate\r\n2020-01-01\r\n').expect(415);
    expect(elsewhere.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // The batch still pays normally (and leaves nothing open for the next tests' builds).
    expect((await uploadBankResults(settlement, batchId, resultsFile([[l0.id, 'paid'], [l1.id, 'paid']])).expect(200)).body.status).toBe('paid');
    await approve(other.batch.id as string);
    await payoutRows(other.batch.id as string, other.day);
    expect((await uploadBankResults(settlement, other.batch.id as string, resultsFile([[otherLine.id, 'paid']])).expect(200)).body.status).toBe('paid');
  });

  it('refuses the payout file while lines to pay lack bank details; held out, they are carried, and a batch with nothing to pay is paid by its file', async () => {
    const [good, bare] = await Promise.all([rig.till(), rig.till()]);
    await giveBankAccount(db, good.merchantId, { name: '甬城面馆', bank: '宁波银行', number: '6214830012345678901' });
    const { day, batch, lines } = await settle([[good, 1], [bare, 1]]);
    const batchId = batch.id as string;
    const [lg, lb] = [lineOf(lines, good), lineOf(lines, bare)];
    const [x, y] = [newPublicId(), newPublicId()];
    await approve(batchId, x);

    const before = await payoutState(db, batchId);
    const refused = await downloadPayoutFile(settlement, batchId).expect(409);
    expect(refused.body).toMatchObject({
      code: 'BANK_DETAILS_MISSING',
      details: { lineCount: 1, lines: [{ lineId: lb.id, merchantId: bare.merchantId, problem: 'BANK_DETAILS_MISSING' }] },
    });
    expect(await payoutState(db, batchId)).toEqual(before);

    // Re-open, hold the line, and another official approves.
    await api().post(`/v1/settlement/batches/${batchId}/reopen`).set(financeOfficial(y)).expect(200);
    await api().post(`/v1/settlement/batches/${batchId}/lines/${lb.id}/hold`).set(financeOfficial(y)).send({ reason: 'No bank account on file' }).expect(200);
    await approve(batchId, x);
    const rows = await payoutRows(batchId, day);
    expect([...rows.values()].map((row) => row.line_id)).toEqual([lg.id]);
    // The held line was never in the file.
    const notPayable = await uploadBankResults(settlement, batchId, resultsFile([[lg.id, 'paid'], [lb.id, 'paid']])).expect(422);
    expect(notPayable.body.details).toMatchObject({ problemCount: 1, problems: [{ line: 3, lineId: lb.id, code: 'LINE_NOT_PAYABLE' }] });
    expect((await uploadBankResults(settlement, batchId, resultsFile([[lg.id, 'paid']])).expect(200)).body).toMatchObject({ status: 'paid', paid: 1 });
    expect(await batchOf(batchId)).toMatchObject({ status: 'paid', totalFen: FACE, paidFen: FACE });

    // The held line is carried into the next day's batch, where it is held again: nothing to pay.
    const day2 = await unusedBusinessDay(db);
    const next = await settleDay(settlement, day2);
    const carried = lineOf(await linesOf(next.id as string), bare);
    expect(carried).toMatchObject({ status: 'pending', carriedFen: FACE, amountFen: FACE });
    await api().post(`/v1/settlement/batches/${next.id}/lines/${carried.id}/hold`).set(financeOfficial(y)).send({ reason: 'Still no bank account' }).expect(200);
    await approve(next.id as string, x);
    const empty = await downloadPayoutFile(settlement, next.id as string).expect(200);
    expect(empty.text).toBe(`\ufeff${PAYOUT_COLUMNS.join(',')}\r\n`);
    expect(await batchOf(next.id as string)).toMatchObject({ status: 'paid', totalFen: 0, paidFen: 0 });
    const audit = await auditOf(next.id as string);
    expect(audit[audit.length - 1]).toMatchObject({ action: 'settlement_batch.payout_file', detail: { from: 'approved', to: 'paid', lineCount: 0, totalFen: 0 } });
  });

  it("pays a merchant's approved account until an official approves a new one; a rejected or undecided one never reaches the file", async () => {
    const merchantApp = await bootApp('merchant');
    try {
      const merchants = () => request(merchantApp.getHttpServer());
      const [a, b, c] = await Promise.all([rig.till({ district: 'haishu' }), rig.till({ district: 'yinzhou' }), rig.till({ district: 'cixi' })]);
      const old: Record<string, string> = { [a.merchantId]: '6222020000000000011', [b.merchantId]: '6222020000000000022', [c.merchantId]: '6222020000000000033' };
      const asked: Record<string, string> = { [a.merchantId]: '6228480000000000111', [b.merchantId]: '6228480000000000222', [c.merchantId]: '6228480000000000333' };
      for (const till of [a, b, c]) await giveBankAccount(db, till.merchantId, { name: '测试小馆', bank: '宁波银行', number: old[till.merchantId] });
      // Each approved merchant's admin asks for another account with one request (one SMS code's worth of access).
      const requests = [];
      for (const till of [a, b, c]) {
        requests.push(await merchants().patch('/v1/merchant/me').set(bearer(till.adminToken)).send({ bankAccountNumber: asked[till.merchantId] }));
      }
      const numbersOf = (rows: Map<string, Record<string, string>>) => Object.fromEntries([a, b, c].map((till) => [till.merchantId, rows.get(till.merchantId)?.bank_account_number]));
      // Lines other tests left to carry (held, without bank details) are held again, out of this test's files.
      const holdOthers = async (batchId: string, lines: Map<string, Line>) => {
        for (const [merchantId, line] of lines) {
          if (old[merchantId] !== undefined || line.status !== 'pending') continue;
          await api().post(`/v1/settlement/batches/${batchId}/lines/${line.id}/hold`).set(financeOfficial()).send({ reason: 'Not this test' }).expect(200);
        }
      };

      // Built while the changes wait: every line pays the approved (old) account.
      const first = await settle([[a, 1], [b, 1], [c, 1]]);
      const firstId = first.batch.id as string;
      await holdOthers(firstId, first.lines);
      await approve(firstId);
      const firstRows = await payoutRows(firstId, first.day);
      expect(numbersOf(firstRows)).toEqual(old);
      expect(requests.map((answer) => answer.status)).toEqual([202, 202, 202]);
      const [changeA, changeB] = requests.map((answer) => answer.body.pendingBankAccountChange.id as string);

      // a's change is approved by an official of its district, b's rejected; c's waits.
      const decideChange = (changeId: string, to: string, district?: string) =>
        merchants()
          .post(`/v1/merchants/bank-account-changes/${changeId}/decisions`)
          .set(bearer(tokenFor({ role: Role.CommerceOfficial, ...(district ? { district } : {}) })))
          .send({ to, reason: `测试：${to}` });
      expect((await decideChange(changeA, 'approved', 'cixi').expect(404)).body.code).toBe('BANK_ACCOUNT_CHANGE_NOT_FOUND');
      await decideChange(changeA, 'approved', 'haishu').expect(201);
      await decideChange(changeB, 'rejected').expect(201);
      // A batch built before the approval keeps the account it was built (and approved) with.
      expect(numbersOf(await payoutRows(firstId, first.day))).toEqual(old);
      const firstLines = [...firstRows.values()].map((row): [string, string] => [row.line_id, 'paid']);
      expect((await uploadBankResults(settlement, firstId, resultsFile(firstLines)).expect(200)).body.status).toBe('paid');

      // Built after: a is paid to its approved new account; b (rejected) and c (still waiting) to their old ones.
      const second = await settle([[a, 1], [b, 1], [c, 1]]);
      const secondId = second.batch.id as string;
      expect(lineOf(second.lines, a).bankAccountMasked).toBe('6228 **** **** 0111');
      expect(lineOf(second.lines, b).bankAccountMasked).toBe('6222 **** **** 0022');
      await holdOthers(secondId, second.lines);
      await approve(secondId);
      const secondRows = await payoutRows(secondId, second.day);
      expect(numbersOf(secondRows)).toEqual({ [a.merchantId]: asked[a.merchantId], [b.merchantId]: old[b.merchantId], [c.merchantId]: old[c.merchantId] });
      const secondLines = [...secondRows.values()].map((row): [string, string] => [row.line_id, 'paid']);
      expect((await uploadBankResults(settlement, secondId, resultsFile(secondLines)).expect(200)).body.status).toBe('paid');

      const audit = await db.query(
        `SELECT target_id, action FROM audit_log WHERE action LIKE 'merchant.bank_account_change.%' AND target_id = ANY($1) ORDER BY id`,
        [[a.merchantId, b.merchantId, c.merchantId]],
      );
      expect(audit.map((row: { target_id: string; action: string }) => [row.target_id, row.action])).toEqual([
        [a.merchantId, 'merchant.bank_account_change.requested'],
        [b.merchantId, 'merchant.bank_account_change.requested'],
        [c.merchantId, 'merchant.bank_account_change.requested'],
        [a.merchantId, 'merchant.bank_account_change.approved'],
        [b.merchantId, 'merchant.bank_account_change.rejected'],
      ]);
    } finally {
      await merchantApp.close();
    }
  });
});
