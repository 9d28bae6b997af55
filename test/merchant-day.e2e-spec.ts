import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CheckoutRig, ledgerImbalance, markSettled, TestTill } from './support/checkout';
import { bearer, tokenFor } from './support/tokens';

/**
 * A merchant's books: its redemptions and refunds listed, and one business day's totals.
 * Vouchers have a threshold of 10000 fen and face values that differ per order, so a total
 * summing the wrong column or the wrong rows cannot come out right by chance.
 */
describe("a merchant's redemptions, refunds and day totals", () => {
  const rig = new CheckoutRig();
  let db: DataSource;
  const THRESHOLD = 10_000;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const yesterday = dayBefore(today);

  const get = (path: string, token: string) => request(rig.redemption.getHttpServer()).get(path).set(bearer(token));

  const refund = rig.refund.bind(rig);

  /** Every item of a listing, fetched one per page by following nextCursor. */
  async function walk(path: string, token: string): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const separator = path.includes('?') ? '&' : '?';
      const response = await get(`${path}${separator}limit=1${cursor ? `&cursor=${cursor}` : ''}`, token).expect(200);
      const body = response.body as { items: Array<Record<string, unknown>>; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(1);
      items.push(...body.items);
      cursor = body.nextCursor;
      if (cursor === null) return items;
    }
    throw new Error(`${path} did not end in 50 pages`);
  }

  interface Order {
    name: string;
    faceFen: number;
    orderFen: number;
    /** Goods value refunded (today), with what the refund must answer. */
    refund?: { amountFen: number; customerRefundFen: number; discountReversedFen: number; clawback: boolean };
    settledFirst?: boolean;
    /** The redemption is moved to yesterday's business day before its refund (refunded today). */
    redeemedYesterday?: boolean;
    status: string;
  }

  /** Merchant A's orders, in the order they are made. */
  const ORDERS: Order[] = [
    {
      name: 'full refund',
      faceFen: 3000,
      orderFen: 20_000,
      refund: { amountFen: 20_000, customerRefundFen: 17_000, discountReversedFen: 3000, clawback: false },
      status: 'refunded',
    },
    {
      name: 'partial refund keeping the discount (20000 left >= threshold)',
      faceFen: 2000,
      orderFen: 25_000,
      refund: { amountFen: 5000, customerRefundFen: 5000, discountReversedFen: 0, clawback: false },
      status: 'partly_refunded',
    },
    {
      name: 'partial refund below the threshold (7000 left)',
      faceFen: 1500,
      orderFen: 15_000,
      refund: { amountFen: 8000, customerRefundFen: 6500, discountReversedFen: 1500, clawback: false },
      status: 'reversed',
    },
    {
      name: 'full refund after settlement: a clawback',
      faceFen: 2500,
      orderFen: 18_000,
      settledFirst: true,
      refund: { amountFen: 18_000, customerRefundFen: 15_500, discountReversedFen: 2500, clawback: true },
      status: 'refunded',
    },
    { name: 'no refund', faceFen: 1000, orderFen: 12_000, status: 'completed' },
    {
      name: "yesterday's redemption refunded today",
      faceFen: 1200,
      orderFen: 16_000,
      redeemedYesterday: true,
      refund: { amountFen: 16_000, customerRefundFen: 14_800, discountReversedFen: 1200, clawback: false },
      status: 'refunded',
    },
  ];

  let tillA: TestTill;
  let tillB: TestTill;
  /** What the till answered, per merchant, in the order made. */
  const redemptions = { a: [] as Array<Record<string, unknown>>, b: [] as Array<Record<string, unknown>> };
  const refunds = { a: [] as Array<Record<string, unknown>>, b: [] as Array<Record<string, unknown>> };

  async function redeem(till: TestTill, faceFen: number, orderFen: number): Promise<Record<string, unknown>> {
    const { resident, voucherId } = await rig.voucherFor({ faceValueFen: faceFen, thresholdFen: THRESHOLD });
    const scanned = await rig.scan(till, await rig.code(resident, voucherId), orderFen).expect(201);
    expect(scanned.body).toMatchObject({ voucherId, orderAmountFen: orderFen, discountFen: faceFen, businessDate: today });
    return scanned.body;
  }

  beforeAll(async () => {
    ({ db } = await rig.start());
    [tillA, tillB] = await Promise.all([rig.till(), rig.till()]);
    for (const order of ORDERS) {
      const redeemed = await redeem(tillA, order.faceFen, order.orderFen);
      const redemptionId = redeemed.redemptionId as string;
      if (order.redeemedYesterday) {
        await db.query('UPDATE redemptions SET business_date = $2::date WHERE public_id = $1', [redemptionId, yesterday]);
        redeemed.businessDate = yesterday;
      }
      if (order.settledFirst) await markSettled(rig.db, redemptionId);
      redemptions.a.push({ ...redeemed, status: order.status });
      if (order.refund) {
        const merchantRefundNo = rig.orderNo();
        const answer = await refund(tillA, redemptionId, order.refund.amountFen, merchantRefundNo).expect(201);
        const { amountFen, ...expected } = order.refund;
        expect(answer.body).toMatchObject({ redemptionId, merchantRefundNo, refundAmountFen: amountFen, businessDate: today, ...expected });
        refunds.a.push(answer.body);
      }
    }
    // Merchant B: one redemption and a partial refund that keeps the discount.
    const redeemedB = await redeem(tillB, 1000, 11_000);
    const refundB = await refund(tillB, redeemedB.redemptionId as string, 500).expect(201);
    redemptions.b.push({ ...redeemedB, status: 'partly_refunded' });
    refunds.b.push(refundB.body);
  });

  afterAll(async () => {
    expect(await ledgerImbalance(db)).toBe(0);
    await rig.stop();
  });

  const idsOf = (items: Array<Record<string, unknown>>, key: string) => items.map((item) => item[key] as string);
  const newestFirst = (items: Array<Record<string, unknown>>) => [...items].reverse();

  describe('GET /v1/redemptions', () => {
    it("lists only the caller's merchant's redemptions, newest first, in the checkout shape", async () => {
      const a = await get('/v1/redemptions?limit=200', tillA.cashierToken).expect(200);
      expect(a.body).toEqual({ items: newestFirst(redemptions.a), nextCursor: null });
      const b = await get('/v1/redemptions?limit=200', tillB.adminToken).expect(200);
      expect(b.body).toEqual({ items: redemptions.b, nextCursor: null });
      // BOLA: nothing of A's reaches B, whatever B asks for.
      const aIds = idsOf(redemptions.a, 'redemptionId');
      for (const path of ['/v1/redemptions?limit=200', `/v1/redemptions?date=${today}`, `/v1/redemptions?date=${yesterday}`]) {
        const seen = idsOf((await get(path, tillB.cashierToken).expect(200)).body.items, 'redemptionId');
        expect(seen.filter((id) => aIds.includes(id))).toEqual([]);
      }
      expect(a.body.items[0]).toEqual({
        redemptionId: expect.any(String),
        voucherId: expect.any(String),
        merchantOrderNo: expect.any(String),
        orderAmountFen: 16_000,
        discountFen: 1200,
        payableFen: 14_800,
        status: 'refunded',
        redeemedAt: expect.any(String),
        businessDate: yesterday,
      });
    });

    it('walks every row one page at a time with the cursor', async () => {
      const walked = await walk('/v1/redemptions', tillA.cashierToken);
      expect(idsOf(walked, 'redemptionId')).toEqual(idsOf(newestFirst(redemptions.a), 'redemptionId'));
      expect(walked).toEqual(newestFirst(redemptions.a));
    });

    it('keeps one business day with date=, cursor included', async () => {
      const todays = redemptions.a.filter((r) => r.businessDate === today);
      expect(todays).toHaveLength(5);
      expect(await walk(`/v1/redemptions?date=${today}`, tillA.cashierToken)).toEqual(newestFirst(todays));
      const yesterdays = (await get(`/v1/redemptions?date=${yesterday}`, tillA.cashierToken).expect(200)).body;
      expect(yesterdays).toEqual({ items: redemptions.a.filter((r) => r.businessDate === yesterday), nextCursor: null });
      expect((await get('/v1/redemptions?date=2001-01-01', tillA.cashierToken).expect(200)).body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('GET /v1/refunds', () => {
    it("lists only the caller's merchant's refunds, newest first, in the refund shape", async () => {
      const a = await get('/v1/refunds?limit=200', tillA.adminToken).expect(200);
      expect(a.body).toEqual({ items: newestFirst(refunds.a), nextCursor: null });
      expect(a.body.items.filter((f: { clawback: boolean }) => f.clawback)).toHaveLength(1);
      const b = await get('/v1/refunds?limit=200', tillB.cashierToken).expect(200);
      expect(b.body).toEqual({ items: refunds.b, nextCursor: null });
      const aIds = idsOf(refunds.a, 'refundId');
      expect(idsOf(b.body.items, 'refundId').filter((id) => aIds.includes(id))).toEqual([]);
    });

    it('walks every row one page at a time with the cursor, and keeps one day with date=', async () => {
      expect(await walk('/v1/refunds', tillA.cashierToken)).toEqual(newestFirst(refunds.a));
      expect(await walk(`/v1/refunds?date=${today}`, tillA.cashierToken)).toEqual(newestFirst(refunds.a));
      expect((await get(`/v1/refunds?date=${yesterday}`, tillA.cashierToken).expect(200)).body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('GET /v1/redemptions/days/:date', () => {
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

    it("gives today's totals of the caller's merchant, to the fen", async () => {
      const redeemedToday = ORDERS.filter((o) => !o.redeemedYesterday);
      const refundedToday = ORDERS.flatMap((o) => (o.refund ? [o.refund] : []));
      const discountFen = sum(redeemedToday.map((o) => o.faceFen));
      const discountReversedFen = sum(refundedToday.map((f) => f.discountReversedFen));
      const expected = {
        date: today,
        redemptions: { count: redeemedToday.length, orderAmountFen: sum(redeemedToday.map((o) => o.orderFen)), discountFen },
        refunds: {
          count: refundedToday.length,
          refundAmountFen: sum(refundedToday.map((f) => f.amountFen)),
          customerRefundFen: sum(refundedToday.map((f) => f.customerRefundFen)),
          discountReversedFen,
          clawbackFen: sum(refundedToday.filter((f) => f.clawback).map((f) => f.discountReversedFen)),
        },
        netSubsidyFen: discountFen - discountReversedFen,
      };
      // The same figures written out, so a mistake in the sums above cannot hide one in the endpoint.
      expect(expected).toEqual({
        date: today,
        redemptions: { count: 5, orderAmountFen: 90_000, discountFen: 10_000 },
        refunds: { count: 5, refundAmountFen: 67_000, customerRefundFen: 58_800, discountReversedFen: 8200, clawbackFen: 2500 },
        netSubsidyFen: 1800,
      });
      expect((await get(`/v1/redemptions/days/${today}`, tillA.cashierToken).expect(200)).body).toEqual(expected);
      expect((await get(`/v1/redemptions/days/${today}`, tillA.adminToken).expect(200)).body).toEqual(expected);
    });

    it("gives merchant B only its own day", async () => {
      expect((await get(`/v1/redemptions/days/${today}`, tillB.cashierToken).expect(200)).body).toEqual({
        date: today,
        redemptions: { count: 1, orderAmountFen: 11_000, discountFen: 1000 },
        refunds: { count: 1, refundAmountFen: 500, customerRefundFen: 500, discountReversedFen: 0, clawbackFen: 0 },
        netSubsidyFen: 1000,
      });
    });

    it('counts a redemption on its own day and its refund on the refund day', async () => {
      expect((await get(`/v1/redemptions/days/${yesterday}`, tillA.cashierToken).expect(200)).body).toEqual({
        date: yesterday,
        redemptions: { count: 1, orderAmountFen: 16_000, discountFen: 1200 },
        refunds: { count: 0, refundAmountFen: 0, customerRefundFen: 0, discountReversedFen: 0, clawbackFen: 0 },
        netSubsidyFen: 1200,
      });
    });

    it('gives zeros for a day with nothing, and for a merchant with nothing', async () => {
      const zeros = (date: string) => ({
        date,
        redemptions: { count: 0, orderAmountFen: 0, discountFen: 0 },
        refunds: { count: 0, refundAmountFen: 0, customerRefundFen: 0, discountReversedFen: 0, clawbackFen: 0 },
        netSubsidyFen: 0,
      });
      const dayBeforeYesterday = dayBefore(yesterday);
      expect((await get(`/v1/redemptions/days/${dayBeforeYesterday}`, tillA.cashierToken).expect(200)).body).toEqual(zeros(dayBeforeYesterday));
      expect((await get('/v1/redemptions/days/2001-01-01', tillA.cashierToken).expect(200)).body).toEqual(zeros('2001-01-01'));
      expect((await get(`/v1/redemptions/days/${yesterday}`, tillB.cashierToken).expect(200)).body).toEqual(zeros(yesterday));
      const empty = await rig.till();
      expect((await get(`/v1/redemptions/days/${today}`, empty.cashierToken).expect(200)).body).toEqual(zeros(today));
      // A token of staff the merchant does not have reads nothing (merchant-caller.e2e-spec covers every route).
      const stranger = tokenFor({ role: Role.MerchantStaff, merchantId: newPublicId() });
      expect((await get(`/v1/redemptions/days/${today}`, stranger).expect(403)).body.code).toBe('STAFF_INACTIVE');
    });

    it('refuses a date that is not a YYYY-MM-DD day with 400 VALIDATION_FAILED', async () => {
      for (const date of ['2026-02-30', '2026-13-01', '2026-1-1', '20261127', '2026-W48', 'yesterday', '2026-11-27T00:00:00Z']) {
        const answer = await get(`/v1/redemptions/days/${encodeURIComponent(date)}`, tillA.cashierToken);
        expect([date, answer.status, answer.body.code]).toEqual([date, 400, 'VALIDATION_FAILED']);
      }
      for (const path of ['/v1/redemptions?date=2026', '/v1/redemptions?date=2026-02-30', '/v1/refunds?date=2026-331', '/v1/refunds?date=today']) {
        const answer = await get(path, tillA.cashierToken);
        expect([path, answer.status, answer.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
      }
    });
  });

  it('documents the three routes in /docs', async () => {
    const document = (await request(rig.redemption.getHttpServer()).get('/docs-json').expect(200)).body;
    for (const path of ['/v1/redemptions', '/v1/refunds']) {
      expect(document.paths[path].get.summary).toEqual(expect.any(String));
      expect(document.paths[path].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['cursor', 'date', 'limit']);
    }
    expect(document.paths['/v1/redemptions/days/{date}'].get).toMatchObject({ summary: expect.any(String), parameters: [expect.objectContaining({ name: 'date', in: 'path', required: true })] });
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['DayTotalsView', 'DayRedemptionTotals', 'DayRefundTotals']));
  });

  it('refuses a resident with 403 and no token with 401', async () => {
    const resident = tokenFor({ role: Role.Resident });
    for (const path of ['/v1/redemptions', '/v1/refunds', `/v1/redemptions/days/${today}`]) {
      expect((await get(path, resident).expect(403)).body.code).toBe('FORBIDDEN');
      await request(rig.redemption.getHttpServer()).get(path).expect(401);
    }
  });
});
