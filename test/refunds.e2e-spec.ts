import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CheckoutRig, ledgerImbalance, markSettled } from './support/checkout';
import { until } from './support/settlement-faults';
import { bearer, tokenFor } from './support/tokens';
import { Role } from '@vouchers/auth';

/** Vouchers of face 3000 fen and threshold 10000 fen, redeemed on orders of 20000 fen. */
describe('refunds', () => {
  const rig = new CheckoutRig();
  let db: DataSource;
  const FACE = 3000;
  const THRESHOLD = 10_000;
  const ORDER = 20_000;

  const refund = rig.refund.bind(rig);

  /** A redemption of a fresh voucher at a fresh till. */
  async function redeemed(spec: Parameters<CheckoutRig['voucherFor']>[0] = {}) {
    const { resident, voucherId } = await rig.voucherFor({ faceValueFen: FACE, thresholdFen: THRESHOLD, ...spec });
    const till = await rig.till({ district: 'beilun' });
    const scanned = await rig.scan(till, await rig.code(resident, voucherId), ORDER).expect(201);
    return { resident, voucherId, till, redemptionId: scanned.body.redemptionId as string };
  }

  /** Net balance (debits - credits) of an account. */
  const balanceOf = async (account: string) =>
    Number((await db.query('SELECT COALESCE(sum(debit_fen - credit_fen), 0)::bigint AS b FROM ledger_entries WHERE account = $1', [account]))[0].b);
  const redemptionRow = async (redemptionId: string) =>
    (await db.query('SELECT status, refunded_amount_fen::int AS refunded FROM redemptions WHERE public_id = $1', [redemptionId]))[0];

  beforeAll(async () => {
    ({ db } = await rig.start());
  });

  afterEach(async () => {
    expect(await ledgerImbalance(db)).toBe(0);
  });

  afterAll(async () => {
    await rig.stop();
  });

  it('a full refund reverses the redemption and its ledger entries; the voucher can be used again', async () => {
    const { resident, voucherId, till, redemptionId } = await redeemed();
    const payable = `payable:merchant:${till.merchantId}`;
    expect(await balanceOf(payable)).toBe(-FACE);
    const merchantRefundNo = rig.orderNo();
    const answer = await refund(till, redemptionId, ORDER, merchantRefundNo).expect(201);
    expect(answer.body).toEqual({
      refundId: expect.any(String),
      redemptionId,
      merchantRefundNo,
      refundAmountFen: ORDER,
      customerRefundFen: ORDER - FACE,
      discountReversedFen: FACE,
      clawback: false,
      refundedAt: expect.any(String),
      businessDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(await balanceOf(payable)).toBe(0);
    expect(await balanceOf('budget:district:beilun')).toBeGreaterThanOrEqual(0);
    expect(await redemptionRow(redemptionId)).toEqual({ status: 'refunded', refunded: ORDER });
    expect(await rig.voucherStatus(voucherId)).toBe('claimed');
    await rig.scan(till, await rig.code(resident, voucherId), ORDER).expect(201);
    expect(await balanceOf(payable)).toBe(-FACE);
  });

  it('a full refund after the voucher expired marks it expired', async () => {
    const { voucherId, till, redemptionId } = await redeemed();
    await db.query("UPDATE vouchers SET expires_at = now() - interval '1 minute' WHERE public_id = $1", [voucherId]);
    await refund(till, redemptionId, ORDER).expect(201);
    expect(await rig.voucherStatus(voucherId)).toBe('expired');
  });

  it('a partial refund keeps the discount while the order left meets the threshold, and reverses it below', async () => {
    const { voucherId, till, redemptionId } = await redeemed();
    const payable = `payable:merchant:${till.merchantId}`;
    const kept = await refund(till, redemptionId, ORDER - THRESHOLD).expect(201);
    expect(kept.body).toMatchObject({ customerRefundFen: ORDER - THRESHOLD, discountReversedFen: 0, clawback: false });
    expect(await redemptionRow(redemptionId)).toEqual({ status: 'partly_refunded', refunded: ORDER - THRESHOLD });
    expect(await rig.voucherStatus(voucherId)).toBe('redeemed');
    expect(await balanceOf(payable)).toBe(-FACE);

    const below = await refund(till, redemptionId, 4000).expect(201);
    expect(below.body).toMatchObject({ customerRefundFen: 4000 - FACE, discountReversedFen: FACE });
    expect(await redemptionRow(redemptionId)).toEqual({ status: 'reversed', refunded: ORDER - THRESHOLD + 4000 });
    expect(await rig.voucherStatus(voucherId)).toBe('claimed');
    expect(await balanceOf(payable)).toBe(0);

    // The rest of the goods: no discount left to take back.
    const rest = await refund(till, redemptionId, 6000).expect(201);
    expect(rest.body).toMatchObject({ customerRefundFen: 6000, discountReversedFen: 0 });
    expect(await redemptionRow(redemptionId)).toEqual({ status: 'refunded', refunded: ORDER });
    expect((await refund(till, redemptionId, 1).expect(422)).body).toMatchObject({ code: 'REFUND_EXCEEDS_ORDER', details: { refundableFen: 0 } });
  });

  it("keeps the discount on a partial refund when the campaign's policy says so, never giving back more than was paid", async () => {
    const { till, redemptionId } = await redeemed({ partialRefundPolicy: 'keep_discount' });
    const answer = await refund(till, redemptionId, ORDER - 1).expect(201);
    // The customer paid ORDER - FACE: that is the most they get back, whatever the goods' value.
    expect(answer.body).toMatchObject({ customerRefundFen: ORDER - FACE, discountReversedFen: 0 });
    expect(await redemptionRow(redemptionId)).toEqual({ status: 'partly_refunded', refunded: ORDER - 1 });
    // The last fen of goods takes the discount back and gives back nothing more: the order is refunded in full.
    const last = await refund(till, redemptionId, 1).expect(201);
    expect(last.body).toMatchObject({ customerRefundFen: 0, discountReversedFen: FACE });
    expect(await redemptionRow(redemptionId)).toEqual({ status: 'refunded', refunded: ORDER });
  });

  it('a refund after settlement creates a clawback for the next batch and leaves the paid batch alone', async () => {
    const { voucherId, till, redemptionId } = await redeemed();
    const lineId = await markSettled(db, redemptionId);
    const answer = await refund(till, redemptionId, ORDER).expect(201);
    expect(answer.body).toMatchObject({ clawback: true, discountReversedFen: FACE, customerRefundFen: ORDER - FACE });
    const clawbacks = await db.query(
      `SELECT c.amount_fen::int AS amount, c.city_fen::int + c.district_fen::int AS parts, c.settlement_line_id
         FROM clawbacks c JOIN refunds f ON f.id = c.refund_id WHERE f.public_id = $1`,
      [answer.body.refundId],
    );
    expect(clawbacks).toEqual([{ amount: FACE, parts: FACE, settlement_line_id: null }]);
    expect(await balanceOf(`clawback:merchant:${till.merchantId}`)).toBe(FACE);
    // The payable is untouched (settlement moves it; the clawback is netted later).
    expect(await balanceOf(`payable:merchant:${till.merchantId}`)).toBe(-FACE);
    const [line] = await db.query('SELECT status, amount_fen::int AS amount FROM settlement_lines WHERE id = $1', [lineId]);
    expect(line).toEqual({ status: 'paid', amount: FACE });
    expect((await db.query('SELECT settlement_line_id FROM redemptions WHERE public_id = $1', [redemptionId]))[0].settlement_line_id).toBe(lineId);
    expect(await rig.voucherStatus(voucherId)).toBe('claimed');
  });

  it('answers a retry with the first result, and a reused refund number with 409', async () => {
    const first = await redeemed();
    const second = await redeemed();
    const merchantRefundNo = rig.orderNo();
    const once = await refund(first.till, first.redemptionId, 5000, merchantRefundNo).expect(201);
    expect((await refund(first.till, first.redemptionId, 5000, merchantRefundNo).expect(200)).body).toEqual(once.body);
    expect((await refund(first.till, first.redemptionId, 5001, merchantRefundNo).expect(409)).body.code).toBe('REFUND_NO_CONFLICT');
    expect(await redemptionRow(first.redemptionId)).toEqual({ status: 'partly_refunded', refunded: 5000 });
    // Refund numbers are the merchant's own: another merchant may use the same one.
    await refund(second.till, second.redemptionId, 5000, merchantRefundNo).expect(201);
  });

  it('of 20 concurrent full refunds of one redemption, exactly one goes through', async () => {
    const { till, redemptionId } = await redeemed();
    const answers = await Promise.all(Array.from({ length: 20 }, () => refund(till, redemptionId, ORDER)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.body.code === 'REFUND_EXCEEDS_ORDER')).toBe(true);
    expect((await db.query('SELECT count(*)::int AS n FROM refunds f JOIN redemptions r ON r.id = f.redemption_id WHERE r.public_id = $1', [redemptionId]))[0].n).toBe(1);
  });

  it("refuses another merchant's redemption, other roles, a refund smaller than the discount, and bad input", async () => {
    const { till, redemptionId } = await redeemed();
    const other = await rig.till();
    expect((await refund(other, redemptionId, 1000).expect(404)).body.code).toBe('REDEMPTION_NOT_FOUND');
    expect((await refund(till, 'not-a-uuid', 1000).expect(404)).body.code).toBe('REDEMPTION_NOT_FOUND');
    await refund(till, redemptionId, 1000, rig.orderNo(), tokenFor({ role: Role.Resident })).expect(403);
    await refund(till, redemptionId, 1000, rig.orderNo(), till.adminToken).expect(201);
    // 19000 left; refunding 10000 more leaves 9000 < threshold, taking back 3000: fine. 2000 more would not cover it.
    const small = await redeemed();
    await refund(small.till, small.redemptionId, ORDER - THRESHOLD).expect(201);
    expect((await refund(small.till, small.redemptionId, 2000).expect(422)).body).toMatchObject({
      code: 'REFUND_LESS_THAN_DISCOUNT',
      details: { discountFen: FACE },
    });
    for (const body of [{ refundAmountFen: 0, merchantRefundNo: 'R1' }, { refundAmountFen: 10.5, merchantRefundNo: 'R1' }, { refundAmountFen: 100 }]) {
      const answer = await request(rig.redemption.getHttpServer()).post(`/v1/redemptions/${redemptionId}/refunds`).set(bearer(till.cashierToken)).send(body);
      expect([answer.status, answer.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    await db.query('UPDATE merchant_staff SET disabled_at = now() WHERE public_id = $1', [till.cashierId]);
    expect((await refund(till, redemptionId, 1000).expect(403)).body.code).toBe('STAFF_INACTIVE');
  });

  it('a cashier disabled while their refund is on its way: the refund waits for the disabling and is refused, nothing refunded', async () => {
    const { till, redemptionId } = await redeemed();
    // The admin's disabling has written the cashier's row and not yet committed when the refund arrives.
    const disabling = new Client({ connectionString: process.env.DATABASE_URL });
    await disabling.connect();
    let answer: request.Response;
    try {
      await disabling.query('BEGIN');
      await disabling.query('UPDATE merchant_staff SET disabled_at = now(), token_version = token_version + 1 WHERE public_id = $1', [till.cashierId]);
      let settled = false;
      const sent = refund(till, redemptionId, ORDER).then((response) => ((settled = true), response));
      const waiting = `SELECT count(*)::int AS n FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%merchant_staff%'`;
      // Either the refund waits at the cashier's row, or (the old way: checked before its transaction) it is already answered.
      await until('the refund at the cashier row, or answered', async () => (settled || (await db.query(waiting))[0].n > 0 ? true : undefined), 10_000);
      await disabling.query('COMMIT');
      answer = await sent;
    } finally {
      await disabling.end();
    }
    expect([answer.status, answer.body.code]).toEqual([403, 'STAFF_INACTIVE']);
    expect(await redemptionRow(redemptionId)).toEqual({ status: 'completed', refunded: 0 });
    expect((await db.query('SELECT count(*)::int AS n FROM refunds r JOIN redemptions d ON d.id = r.redemption_id WHERE d.public_id = $1', [redemptionId]))[0].n).toBe(0);
  });
});
