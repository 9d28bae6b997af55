import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { createActiveCampaign, TestCampaign } from './support/campaigns';
import { CheckoutRig, grabVoucher, TestTill } from './support/checkout';
import { createVerifiedResidents } from './support/residents';
import { financeOfficial, isolateThisFile, linesOfBatch, settleDay, startWorker, unusedBusinessDay } from './support/settlement';
import { bearer, tokenFor } from './support/tokens';
import type { LineView as Line } from '../apps/settlement/src/batches/batch.view';

const A_FACE = 1001; // city 500 (rounded down), district 501
const B_FACE = 3000; // city 1500, district 1500

interface Redeemed {
  redemptionId: string;
  voucherId: string;
}


/**
 * Two business days D1, D2 at three merchants (haishu dining, yinzhou retail, cixi dining)
 * with two campaigns (A: 满4004减1001 for dining and retail; B: 满12000减3000 for dining):
 *
 *   D1  r1 A@a 8000   r2 A@b 5000   r3 A@a 9000 refunded in full on D1 (reversal)
 *       r4 B@c 20000  r5 B@a 15000 refunded in full on D2, after settlement (clawback 3000)
 *       r6 A@c 8000, 1000 of it refunded on D1 (the discount stands)
 *   D2  r7 A@a 8000   r8 B@a 16000
 *   one more A voucher claimed and expired on D2; every voucher claimed on D1.
 *
 * D1 settles to lines a1 (4001), b1 (1001, then held), c1 (4001); D2 to a2 (4001 gross, the
 * 3000 clawback netted: 1001) and b2 (b1 carried: 1001). Payments as the bank results would
 * record them: a1 and c1 paid (posted payable → paid_out), b2 failed, a2 still pending.
 */
describe('settlement: the reconciliation report', () => {
  const rig = new CheckoutRig();
  let dropDatabase: () => Promise<void>;
  let settlement: NestFastifyApplication;
  let worker: TestingModule;
  let db: DataSource;
  let d1: string;
  let d2: string;
  let a: TestTill, b: TestTill, c: TestTill;
  let campaignA: TestCampaign, campaignB: TestCampaign;
  const r: Record<string, Redeemed> = {};
  let batch1: Record<string, unknown>, batch2: Record<string, unknown>;
  let lines1: Map<string, Line>, lines2: Map<string, Line>;
  let clawbackRefundId: string;

  const api = () => request(settlement.getHttpServer());
  const report = (from: string, to: string, headers = financeOfficial()) =>
    api().get(`/v1/settlement/reconciliation?from=${from}&to=${to}`).set(headers);

  async function redeem(campaign: TestCampaign, till: TestTill, orderAmountFen: number): Promise<Redeemed> {
    const [resident] = await createVerifiedResidents(db, 1);
    const voucherId = await grabVoucher(rig.issuance, resident, campaign.rounds[0]);
    const scanned = await rig.scan(till, await rig.code(resident, voucherId), orderAmountFen).expect(201);
    return { redemptionId: scanned.body.redemptionId, voucherId };
  }
  const refund = async (till: TestTill, redemption: Redeemed, amount: number): Promise<string> =>
    (await rig.refund(till, redemption.redemptionId, amount).expect(201)).body.refundId;
  const toDay = (day: string, redemptions: Redeemed[], refundIds: string[] = []) =>
    Promise.all([
      db.query('UPDATE redemptions SET business_date = $2 WHERE public_id = ANY($1::uuid[])', [redemptions.map((x) => x.redemptionId), day]),
      db.query('UPDATE refunds SET business_date = $2 WHERE public_id = ANY($1::uuid[])', [refundIds, day]),
    ]);
  const linesOf = (batchId: unknown) => linesOfBatch(settlement, batchId as string);
  /** Marks a line paid as the bank results do: status, and the posting payable → paid_out of its amount. */
  async function pay(line: Line, merchantId: string): Promise<void> {
    await db.query("UPDATE settlement_lines SET status = 'paid', paid_at = now() WHERE public_id = $1", [line.id]);
    await db.query(
      `INSERT INTO ledger_entries (posting_id, account, debit_fen, credit_fen, ref_type, ref_id)
       VALUES ($1, $2, $3, 0, 'settlement_line', $4), ($1, 'paid_out', 0, $3, 'settlement_line', $4)`,
      [newPublicId(), `payable:merchant:${merchantId}`, line.amountFen, line.id],
    );
  }

  beforeAll(async () => {
    dropDatabase = await isolateThisFile();
    ({ db } = await rig.start());
    settlement = await bootApp('settlement');
    worker = await startWorker();
    d1 = await unusedBusinessDay(db);
    d2 = new Date(Date.parse(`${d1}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

    [a, b, c] = await Promise.all([
      rig.till({ district: 'haishu', category: 'dining' }),
      rig.till({ district: 'yinzhou', category: 'retail' }),
      rig.till({ district: 'cixi', category: 'dining' }),
    ]);
    campaignA = await createActiveCampaign(rig.issuance, { faceValueFen: A_FACE, thresholdFen: 4004, categories: ['dining', 'retail'], quantity: [20] });
    campaignB = await createActiveCampaign(rig.issuance, { faceValueFen: B_FACE, thresholdFen: 12000, categories: ['dining'], quantity: [20] });

    r.r1 = await redeem(campaignA, a, 8000);
    r.r2 = await redeem(campaignA, b, 5000);
    r.r3 = await redeem(campaignA, a, 9000);
    r.r4 = await redeem(campaignB, c, 20000);
    r.r5 = await redeem(campaignB, a, 15000);
    r.r6 = await redeem(campaignA, c, 8000);
    const before = [await refund(a, r.r3, 9000), await refund(c, r.r6, 1000)];
    await toDay(d1, [r.r1, r.r2, r.r3, r.r4, r.r5, r.r6], before);
    batch1 = await settleDay(settlement, d1);
    lines1 = await linesOf(batch1.id);
    await api()
      .post(`/v1/settlement/batches/${batch1.id}/lines/${lines1.get(b.merchantId)?.id}/hold`)
      .set(financeOfficial())
      .send({ reason: 'Bank account under review' })
      .expect(200);

    clawbackRefundId = await refund(a, r.r5, 15000);
    r.r7 = await redeem(campaignA, a, 8000);
    r.r8 = await redeem(campaignB, a, 16000);
    await toDay(d2, [r.r7, r.r8], [clawbackRefundId]);
    batch2 = await settleDay(settlement, d2);
    lines2 = await linesOf(batch2.id);

    // A voucher nobody used, expired on D2; every voucher of this file claimed on D1.
    const [resident] = await createVerifiedResidents(db, 1);
    const spare = await grabVoucher(rig.issuance, resident, campaignA.rounds[0]);
    await db.query(
      `UPDATE vouchers SET status = 'expired', expires_at = ($2::date + time '20:00') AT TIME ZONE 'Asia/Shanghai' WHERE public_id = $1`,
      [spare, d2],
    );
    await db.query(`UPDATE vouchers SET claimed_at = ($1::date + time '10:00') AT TIME ZONE 'Asia/Shanghai'`, [d1]);

    await pay(lines1.get(a.merchantId) as Line, a.merchantId);
    await pay(lines1.get(c.merchantId) as Line, c.merchantId);
    await db.query("UPDATE settlement_lines SET status = 'failed', failure_reason = 'account closed' WHERE public_id = $1", [
      lines2.get(b.merchantId)?.id,
    ]);
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await settlement?.close();
    await rig.stop();
    await dropDatabase?.();
  });

  it('builds the two days the report is checked against', () => {
    expect(batch1).toMatchObject({ businessDate: d1, lineCount: 3, redemptionCount: 6 });
    expect(lines1.get(a.merchantId)).toMatchObject({ redemptionCount: 3, grossFen: 4001, amountFen: 4001, cityFen: 2000, districtFen: 2001 });
    expect(lines1.get(c.merchantId)).toMatchObject({ redemptionCount: 2, grossFen: 4001, amountFen: 4001 });
    expect(batch2).toMatchObject({ businessDate: d2, lineCount: 2, redemptionCount: 2 });
    expect(lines2.get(a.merchantId)).toMatchObject({ grossFen: 4001, clawbackFen: 3000, amountFen: 1001, cityFen: 500, districtFen: 501 });
    expect(lines2.get(b.merchantId)).toMatchObject({ redemptionCount: 0, carriedFen: 1001, amountFen: 1001 });
  });

  it('gives the exact figures of a range and finds nothing wrong', async () => {
    const body = (await report(d1, d2).expect(200)).body;
    expect(body).toMatchObject({ from: d1, to: d2, batch: null, mismatches: 0 });
    expect(body.vouchers).toEqual({
      claimed: { count: 9, faceValueFen: 6 * A_FACE + 3 * B_FACE },
      expired: { count: 1, faceValueFen: A_FACE },
      byCampaign: expect.arrayContaining([
        expect.objectContaining({ campaignId: campaignA.id, claimed: { count: 6, faceValueFen: 6 * A_FACE }, expired: { count: 1, faceValueFen: A_FACE } }),
        expect.objectContaining({ campaignId: campaignB.id, claimed: { count: 3, faceValueFen: 3 * B_FACE }, expired: { count: 0, faceValueFen: 0 } }),
      ]),
    });
    expect(body.vouchers.byCampaign).toHaveLength(2);
    expect(body.redemptions).toEqual({ count: 8, orderAmountFen: 89000, discountFen: 14005, cityFen: 7000, districtFen: 7005 });
    expect(body.refunds).toEqual({
      count: 3,
      refundAmountFen: 25000,
      discountReversedFen: 4001,
      cityFen: 2000,
      districtFen: 2001,
      clawbacks: { count: 1, amountFen: 3000 },
    });
    const figures = (redemptions: number, orderAmountFen: number, discountFen: number, reversedFen: number, cityNetFen: number, districtNetFen: number) => ({
      redemptions,
      orderAmountFen,
      discountFen,
      reversedFen,
      netFen: discountFen - reversedFen,
      cityNetFen,
      districtNetFen,
    });
    expect(body.subsidy.total).toEqual(figures(8, 89000, 14005, 4001, 5000, 5004));
    expect(body.subsidy.byCampaign).toEqual(
      expect.arrayContaining([
        { campaignId: campaignA.id, campaignName: expect.any(String), ...figures(5, 38000, 5005, 1001, 2000, 2004) },
        { campaignId: campaignB.id, campaignName: expect.any(String), ...figures(3, 51000, 9000, 3000, 3000, 3000) },
      ]),
    );
    expect(body.subsidy.byDistrict).toEqual([
      { district: 'cixi', ...figures(2, 28000, 4001, 0, 2000, 2001) },
      { district: 'haishu', ...figures(5, 56000, 9003, 4001, 2500, 2502) },
      { district: 'yinzhou', ...figures(1, 5000, 1001, 0, 500, 501) },
    ]);
    expect(body.subsidy.byCategory).toEqual([
      { category: 'dining', ...figures(7, 84000, 13004, 4001, 4500, 4503) },
      { category: 'retail', ...figures(1, 5000, 1001, 0, 500, 501) },
    ]);
    const source = (name: string, redemptionsFen: number, reversedFen: number) => ({
      source: name,
      redemptionsFen,
      ledgerDebitFen: redemptionsFen,
      reversedFen,
      ledgerCreditFen: reversedFen,
      differenceFen: 0,
    });
    expect(body.subsidy.byFundingSource).toEqual([
      source('city', 7000, 2000),
      source('district', 7005, 2001),
      source('district:cixi', 2001, 0),
      source('district:haishu', 4503, 2001),
      source('district:yinzhou', 501, 0),
    ]);
    expect(body.settlement).toMatchObject({
      payableFen: 11005,
      paidFen: 8002,
      heldFen: 1001,
      pendingFen: 1001,
      failedFen: 1001,
      clawedBackFen: 3000,
      lines: { lines: 5, redemptions: 8, amountFen: 11005, grossFen: 13004, carriedFen: 1001, clawbackFen: 3000, cityFen: 5500, districtFen: 5505 },
    });
    expect(body.settlement.batches.map((batch: { id: string }) => batch.id)).toEqual([batch1.id, batch2.id]);
    for (const check of ['postings', 'redemptions', 'refunds', 'settlementLines', 'payments']) {
      expect(body.checks[check]).toEqual({ count: 0, differences: [], truncated: false });
    }
  });

  it("reports a batch: its business day and its lines", async () => {
    const body = (await api().get(`/v1/settlement/batches/${batch1.id}/reconciliation`).set(financeOfficial()).expect(200)).body;
    expect(body).toMatchObject({ from: d1, to: d1, batch: { id: batch1.id, businessDate: d1 }, mismatches: 0 });
    expect(body.redemptions).toEqual({ count: 6, orderAmountFen: 65000, discountFen: 10004, cityFen: 5000, districtFen: 5004 });
    expect(body.refunds).toMatchObject({ count: 2, refundAmountFen: 10000, discountReversedFen: 1001, clawbacks: { count: 0, amountFen: 0 } });
    expect(body.vouchers).toMatchObject({ claimed: { count: 9 }, expired: { count: 0, faceValueFen: 0 } });
    expect(body.settlement).toMatchObject({ payableFen: 9003, paidFen: 8002, heldFen: 1001, pendingFen: 0, failedFen: 0, clawedBackFen: 0 });
    expect(body.settlement.batches).toHaveLength(1);
    await api().get(`/v1/settlement/batches/${newPublicId()}/reconciliation`).set(financeOfficial()).expect(404);
    expect((await api().get('/v1/settlement/batches/not-an-id/reconciliation').set(financeOfficial()).expect(404)).body.code).toBe('BATCH_NOT_FOUND');
  });

  it('downloads the same report as CSV, by ?format=csv or by Accept', async () => {
    const answer = await api().get(`/v1/settlement/reconciliation?from=${d1}&to=${d2}&format=csv`).set(financeOfficial()).expect(200);
    expect(answer.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(answer.headers['content-disposition']).toBe(`attachment; filename="reconciliation-${d1}-${d2}.csv"`);
    const text = answer.text.replace(/^\ufeff/, '');
    const rows = text.split('\r\n');
    expect(rows[0]).toBe('section,from,to,batch_id,batch_status,generated_at,mismatches');
    expect(rows[1]).toMatch(new RegExp(`^report,${d1},${d2},,,[^,]+,0$`));
    for (const row of [
      'section,metric,count,face_value_fen',
      `vouchers,claimed,9,${6 * A_FACE + 3 * B_FACE}`,
      'vouchers,expired,1,1001',
      'redemptions,8,89000,14005,7000,7005',
      'refunds,3,25000,4001,2000,2001,1,3000',
      'subsidy,total,,,8,89000,14005,4001,10004,5000,5004',
      'subsidy,district,haishu,,5,56000,9003,4001,5002,2500,2502',
      'subsidy,category,retail,,1,5000,1001,0,1001,500,501',
      'funding,city,7000,7000,2000,2000,0',
      'funding,district:haishu,4503,4503,2001,2001,0',
      'settlement_lines,all,5,8,11005,13004,1001,3000,5500,5505',
      'settlement_lines,paid,2,5,8002,8002,0,0,4000,4002',
      'checks,postings,0,0',
      'checks,settlementLines,0,0',
      'section,check,kind,ref_type,ref_id,posting_id,expected,actual,unit',
    ]) {
      expect(rows).toContain(row);
    }
    expect(rows.some((row) => row.startsWith(`subsidy,campaign,${campaignB.id},test campaign`) && row.endsWith(',3,51000,9000,3000,6000,3000,3000'))).toBe(true);
    // Eleven blocks: ten empty lines between them, and the split after the last line's CRLF.
    expect(rows.filter((row) => row === '')).toHaveLength(11);

    const byAccept = await api().get(`/v1/settlement/batches/${batch2.id}/reconciliation`).set(financeOfficial()).set('accept', 'text/csv').expect(200);
    expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
    expect(byAccept.text).toContain(`report,${d2},${d2},${batch2.id},`);
    const json = await api().get(`/v1/settlement/batches/${batch2.id}/reconciliation`).set(financeOfficial()).set('accept', 'application/json').expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });

  it('is for finance officials and auditors only', async () => {
    await report(d1, d1, bearer(tokenFor({ role: Role.Auditor }))).expect(200);
    await report(d1, d1, bearer(a.adminToken)).expect(403);
    await report(d1, d1, bearer(a.cashierToken)).expect(403);
    await report(d1, d1, bearer(tokenFor({ role: Role.Resident, verified: true }))).expect(403);
    await report(d1, d1, bearer(tokenFor({ role: Role.CommerceOfficial }))).expect(403);
    await api().get(`/v1/settlement/reconciliation?from=${d1}&to=${d1}`).expect(401);
    await api().get(`/v1/settlement/batches/${batch1.id}/reconciliation`).set(bearer(a.adminToken)).expect(403);
  });

  it('refuses bad ranges', async () => {
    const codeOf = async (query: string) => (await api().get(`/v1/settlement/reconciliation?${query}`).set(financeOfficial()).expect(400)).body.code;
    expect(await codeOf(`from=${d2}&to=${d1}`)).toBe('INVALID_RANGE');
    expect(await codeOf('from=2024-01-01&to=2025-01-01')).toBe('RANGE_TOO_LONG');
    expect(await codeOf('from=2026-02-30&to=2026-03-01')).toBe('VALIDATION_FAILED');
    expect(await codeOf('from=2026-03-01')).toBe('VALIDATION_FAILED');
    expect(await codeOf('from=20260301&to=20260302')).toBe('VALIDATION_FAILED');
    expect(await codeOf(`from=${d1}&to=${d1}&format=xml`)).toBe('VALIDATION_FAILED');
    expect(await codeOf(`from=${d1}&to=${d1}&merchantId=x`)).toBe('VALIDATION_FAILED');
    await report('2025-01-01', '2026-01-01').expect(200);
  });

  it('lists every difference planted in the rows and the ledger, each with its ids', async () => {
    // (2) A redemption's discount changed under its posting.
    await db.query('UPDATE redemptions SET discount_fen = discount_fen + 7 WHERE public_id = $1', [r.r1.redemptionId]);
    // (1) A posting that does not balance, hung on a redemption of the range.
    const unbalanced = newPublicId();
    await db.query(
      `INSERT INTO ledger_entries (posting_id, account, debit_fen, credit_fen, ref_type, ref_id)
       VALUES ($1, 'budget:city', 300, 0, 'test', $2), ($1, $3, 0, 200, 'test', $2)`,
      [unbalanced, r.r2.redemptionId, `payable:merchant:${b.merchantId}`],
    );
    // (3) A refund that took r2's discount back with no reversal posted; one whose clawback was never posted.
    const [unreversed, unclawed, clawback] = [newPublicId(), newPublicId(), newPublicId()];
    await db.query(
      `INSERT INTO refunds (public_id, redemption_id, merchant_id, merchant_refund_no, refund_amount_fen, customer_refund_fen,
                            discount_reversed_fen, city_fen, district_fen, refunded_by, refunded_at, business_date)
       SELECT x.public_id, r.id, r.merchant_id, x.no, r.order_amount_fen, r.order_amount_fen - r.discount_fen,
              r.discount_fen, r.city_fen, r.district_fen, $4, now(), $5
         FROM (VALUES ($1::uuid, $2::uuid, 'REC-1'), ($3::uuid, $6::uuid, 'REC-2')) AS x(public_id, redemption, no)
         JOIN redemptions r ON r.public_id = x.redemption`,
      [unreversed, r.r2.redemptionId, unclawed, newPublicId(), d2, r.r4.redemptionId],
    );
    await db.query(
      `INSERT INTO clawbacks (public_id, refund_id, merchant_id, amount_fen, city_fen, district_fen)
       SELECT $1, f.id, f.merchant_id, f.discount_reversed_fen, f.city_fen, f.district_fen FROM refunds f WHERE f.public_id = $2`,
      [clawback, unclawed],
    );
    // (5) A line marked paid with no payment posted.
    const a2 = lines2.get(a.merchantId) as Line;
    await db.query("UPDATE settlement_lines SET status = 'paid', paid_at = now() WHERE public_id = $1", [a2.id]);

    const body = (await report(d1, d2).expect(200)).body;
    const a1 = lines1.get(a.merchantId) as Line;
    const b1 = lines1.get(b.merchantId) as Line;
    const listed = (check: string) => body.checks[check].differences;
    const fen = (kind: string, refType: string, refId: string, expected: number, actual: number, postingId: string | null = null) => ({
      kind,
      refType,
      refId,
      postingId,
      expected,
      actual,
      unit: 'fen',
    });
    expect(listed('postings')).toEqual([fen('unbalanced', 'test', r.r2.redemptionId, 300, 200, unbalanced)]);
    expect(listed('redemptions')).toEqual(
      [fen('funding_split', 'redemption', r.r1.redemptionId, 1008, 1001), fen('payable_credit', 'redemption', r.r1.redemptionId, 1008, 1001)],
    );
    expect(listed('refunds')).toEqual(
      expect.arrayContaining([fen('posting_missing', 'refund', unreversed, 1001, 0), fen('posting_missing', 'clawback', clawback, 3000, 0)]),
    );
    expect(listed('refunds')).toHaveLength(2);
    expect(listed('payments')).toEqual([fen('payment_posting_missing', 'settlement_line', a2.id, 1001, 0)]);
    // The line of r1 was built from its old discount; b1 paid r2's discount that the unposted refund says was taken back before.
    expect(listed('settlementLines')).toEqual(
      expect.arrayContaining([
        fen('gross', 'settlement_line', a1.id, 4008, 4001),
        fen('gross', 'settlement_line', b1.id, 0, 1001),
        fen('city', 'settlement_line', b1.id, 0, 500),
        fen('district', 'settlement_line', b1.id, 0, 501),
      ]),
    );
    expect(listed('settlementLines')).toHaveLength(4);
    expect(body.checks.settlementLines).toMatchObject({ count: 4, truncated: false });
    expect(body.mismatches).toBe(1 + 2 + 2 + 1 + 4);
    // The rows now say 500 + 1500 more of the city's share was taken back than the ledger credited.
    expect(body.subsidy.byFundingSource).toEqual(
      expect.arrayContaining([
        { source: 'city', redemptionsFen: 7000, ledgerDebitFen: 7000, reversedFen: 4000, ledgerCreditFen: 2000, differenceFen: 2000 },
        { source: 'district:yinzhou', redemptionsFen: 501, ledgerDebitFen: 501, reversedFen: 501, ledgerCreditFen: 0, differenceFen: 501 },
      ]),
    );

    const csv = (await api().get(`/v1/settlement/reconciliation?from=${d1}&to=${d2}&format=csv`).set(financeOfficial()).expect(200)).text;
    expect(csv).toContain(`differences,postings,unbalanced,test,${r.r2.redemptionId},${unbalanced},300,200,fen`);
    expect(csv).toContain(`differences,payments,payment_posting_missing,settlement_line,${a2.id},,1001,0,fen`);
    expect(csv).toContain('checks,settlementLines,4,4');
  });
});
