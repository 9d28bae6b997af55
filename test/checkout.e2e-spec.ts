import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { EligibilityIndex, eligibilityKeys } from '@vouchers/eligibility';
import { codeNonceKey, readVoucherCode, signVoucherCode } from '@vouchers/voucher-code';
import { createSecretKey } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { testConfig } from './support/apps';
import { createActiveCampaign } from './support/campaigns';
import { checkoutCode, CheckoutRig, createTill, ledgerImbalance, TestTill } from './support/checkout';
import { openTestDatabase } from './support/database';
import { TestRedis } from './support/merchant-accounts';
import { createVerifiedResidents, TestResident } from './support/residents';
import { bearer, tokenFor } from './support/tokens';

/** Face 1000 fen, threshold 4000 fen, dining, whole city, half city half district. */
describe('checkout: codes and scan-and-redeem', () => {
  const rig = new CheckoutRig();
  let issuance: NestFastifyApplication;
  let redemption: NestFastifyApplication;
  let db: DataSource;
  let redis: TestRedis;
  let index: EligibilityIndex;
  const orderNo = () => rig.orderNo();
  const scan = rig.scan.bind(rig);
  const voucherFor = rig.voucherFor.bind(rig);
  const voucherStatus = rig.voucherStatus.bind(rig);
  const redemptionsOf = async (voucherId: string) =>
    (await db.query('SELECT r.* FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id WHERE v.public_id = $1', [voucherId])) as Array<
      Record<string, unknown>
    >;

  beforeAll(async () => {
    ({ issuance, redemption, db, redis, index } = await rig.start());
  });

  afterAll(async () => {
    expect(await ledgerImbalance(db)).toBe(0);
    await rig.stop();
  });

  describe('the resident code', () => {
    it('binds voucher, resident, an expiry about 60 s ahead and a nonce; a new code replaces the old', async () => {
      const { resident, voucherId } = await voucherFor();
      const response = await request(issuance.getHttpServer()).post(`/v1/me/vouchers/${voucherId}/code`).set(bearer(resident.token)).expect(201);
      const reading = readVoucherCode(response.body.code, createSecretKey(Buffer.from(testConfig().voucherCodeKey)));
      if (!reading.ok) throw new Error('the code does not read back');
      expect(reading.claims).toMatchObject({ voucherId, residentId: resident.id });
      expect(reading.claims.expiresAt * 1000 - Date.now()).toBeGreaterThan(50_000);
      expect(reading.claims.expiresAt * 1000 - Date.now()).toBeLessThanOrEqual(61_000);
      expect(response.body).toEqual({ voucherId, code: expect.stringMatching(/^V1[A-Za-z0-9_-]{82}$/), expiresAt: expect.any(String) });

      const till = await createTill(db, index);
      const newer = await checkoutCode(issuance, resident, voucherId);
      expect((await scan(till, response.body.code, 5000).expect(409)).body.code).toBe('CODE_SUPERSEDED');
      await scan(till, newer, 5000).expect(201);
    });

    it("gives no code for another resident's voucher, nor for one already used", async () => {
      const { resident, voucherId } = await voucherFor();
      const [other] = await createVerifiedResidents(db, 1);
      const ask = (who: TestResident, id: string) => request(issuance.getHttpServer()).post(`/v1/me/vouchers/${id}/code`).set(bearer(who.token));
      expect((await ask(other, voucherId).expect(404)).body.code).toBe('VOUCHER_NOT_FOUND');
      expect((await ask(resident, 'not-a-uuid').expect(404)).body.code).toBe('VOUCHER_NOT_FOUND');
      const till = await createTill(db, index);
      await scan(till, await checkoutCode(issuance, resident, voucherId), 4000).expect(201);
      expect((await ask(resident, voucherId).expect(409)).body).toMatchObject({ code: 'VOUCHER_NOT_USABLE', details: { status: 'redeemed' } });
      const cashier = tokenFor({ role: Role.MerchantStaff, merchantId: till.merchantId });
      await request(issuance.getHttpServer()).post(`/v1/me/vouchers/${voucherId}/code`).set(bearer(cashier)).expect(403);
    });
  });

  describe("a resident's one voucher, read while its code is shown", () => {
    it('answers the voucher claimed, then redeemed with when, as soon as the till took it; to its owner only', async () => {
      const { resident, voucherId } = await voucherFor();
      const read = (who: TestResident, id: string) => request(issuance.getHttpServer()).get(`/v1/me/vouchers/${id}`).set(bearer(who.token));
      expect((await read(resident, voucherId).expect(200)).body).toMatchObject({ id: voucherId, status: 'claimed', faceValueFen: 1000, redeemedAt: null });
      const till = await createTill(db, index);
      const redeemed = await scan(till, await checkoutCode(issuance, resident, voucherId), 5000).expect(201);
      expect((await read(resident, voucherId.toUpperCase()).expect(200)).body).toMatchObject({ id: voucherId, status: 'redeemed', redeemedAt: redeemed.body.redeemedAt });

      const [other] = await createVerifiedResidents(db, 1);
      expect((await read(other, voucherId).expect(404)).body.code).toBe('VOUCHER_NOT_FOUND');
      expect((await read(resident, 'not-a-uuid').expect(404)).body.code).toBe('VOUCHER_NOT_FOUND');
      const cashier = tokenFor({ role: Role.MerchantStaff, merchantId: till.merchantId });
      await request(issuance.getHttpServer()).get(`/v1/me/vouchers/${voucherId}`).set(bearer(cashier)).expect(403);
      await request(issuance.getHttpServer()).get(`/v1/me/vouchers/${voucherId}`).expect(401);
    });
  });

  describe('redeeming', () => {
    it('applies the discount, flips the voucher and posts the subsidy split city/district exactly', async () => {
      const { resident, voucherId } = await voucherFor({ faceValueFen: 1001, thresholdFen: 3001 });
      const till = await createTill(db, index, { district: 'yinzhou' });
      const merchantOrderNo = orderNo();
      const response = await scan(till, await checkoutCode(issuance, resident, voucherId), 12_800, merchantOrderNo).expect(201);
      expect(response.body).toEqual({
        redemptionId: expect.any(String),
        voucherId,
        merchantOrderNo,
        orderAmountFen: 12_800,
        discountFen: 1001,
        payableFen: 11_799,
        status: 'completed',
        redeemedAt: expect.any(String),
        businessDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      expect(await voucherStatus(voucherId)).toBe('redeemed');
      const entries = await db.query(
        'SELECT account, debit_fen::int AS debit, credit_fen::int AS credit FROM ledger_entries WHERE ref_id = $1 ORDER BY account',
        [response.body.redemptionId],
      );
      expect(entries).toEqual([
        { account: 'budget:city', debit: 500, credit: 0 },
        { account: 'budget:district:yinzhou', debit: 501, credit: 0 },
        { account: `payable:merchant:${till.merchantId}`, debit: 0, credit: 1001 },
      ]);
    });

    it('redeems exactly once under 50 concurrent scans of one code at one till, and at two tills', async () => {
      for (const tills of [1, 2]) {
        const { resident, voucherId } = await voucherFor();
        const stations = await Promise.all(Array.from({ length: tills }, () => createTill(db, index)));
        const code = await checkoutCode(issuance, resident, voucherId);
        const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => scan(stations[i % tills], code, 5000)));
        const statuses = answers.map((a) => a.status);
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        expect(answers.filter((a) => a.status !== 201).every((a) => a.body.code === 'CODE_REPLAYED')).toBe(true);
        expect(await redemptionsOf(voucherId)).toHaveLength(1);
      }
    });

    it('answers a retry with the first result, and a reused order number with 409', async () => {
      const { resident, voucherId } = await voucherFor();
      const till = await createTill(db, index);
      const code = await checkoutCode(issuance, resident, voucherId);
      const merchantOrderNo = orderNo();
      const first = await scan(till, code, 6000, merchantOrderNo).expect(201);
      const again = await scan(till, code, 6000, merchantOrderNo).expect(200);
      expect(again.body).toEqual(first.body);
      expect((await scan(till, code, 6500, merchantOrderNo).expect(409)).body.code).toBe('ORDER_NO_CONFLICT');

      const second = await voucherFor();
      const otherCode = await checkoutCode(issuance, second.resident, second.voucherId);
      expect((await scan(till, otherCode, 6000, merchantOrderNo).expect(409)).body).toMatchObject({
        code: 'ORDER_NO_CONFLICT',
        details: { redemptionId: first.body.redemptionId },
      });
      expect(await voucherStatus(second.voucherId)).toBe('claimed');
      expect(await redemptionsOf(voucherId)).toHaveLength(1);
    });

    it('gives one order number to one of many tills scanning at once; the others get 409 and keep their vouchers', async () => {
      const till = await createTill(db, index);
      const held = await Promise.all(Array.from({ length: 12 }, () => voucherFor()));
      const codes = await Promise.all(held.map(({ resident, voucherId }) => checkoutCode(issuance, resident, voucherId)));
      const merchantOrderNo = orderNo();
      const answers = await Promise.all(codes.map((code) => scan(till, code, 5000, merchantOrderNo)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(Array(11).fill('ORDER_NO_CONFLICT'));
      const statuses = await Promise.all(held.map(({ voucherId }) => voucherStatus(voucherId)));
      expect(statuses.filter((status) => status === 'redeemed')).toHaveLength(1);
      // Distinct order numbers at once all go through (they share group commits).
      const more = await Promise.all(Array.from({ length: 12 }, () => voucherFor()));
      const moreCodes = await Promise.all(more.map(({ resident, voucherId }) => checkoutCode(issuance, resident, voucherId)));
      const moreAnswers = await Promise.all(moreCodes.map((code) => scan(till, code, 5000)));
      expect(moreAnswers.map((a) => a.status)).toEqual(Array(12).fill(201));
    });

    it('answers 503 when the redemption cannot be saved, and the same scan works once the database is back', async () => {
      const { resident, voucherId } = await voucherFor();
      const till = await createTill(db, index);
      const code = await checkoutCode(issuance, resident, voucherId);
      const locker = await openTestDatabase();
      const runner = locker.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query('LOCK TABLE redemptions IN ACCESS EXCLUSIVE MODE');
        const merchantOrderNo = orderNo();
        const failed = await scan(till, code, 5000, merchantOrderNo);
        expect([failed.status, failed.body.code, failed.headers['retry-after']]).toEqual([503, 'REDEMPTION_NOT_SAVED', '1']);
        await runner.rollbackTransaction();
        expect(await voucherStatus(voucherId)).toBe('claimed');
        await scan(till, code, 5000, merchantOrderNo).expect(201);
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
        await locker.destroy();
      }
    }, 30_000);

    it('refuses, each with its code: tampered, foreign key, expired, replayed', async () => {
      const { resident, voucherId } = await voucherFor();
      const till = await createTill(db, index);
      const code = await checkoutCode(issuance, resident, voucherId);
      const tampered = code.slice(0, 30) + (code[30] === 'A' ? 'B' : 'A') + code.slice(31);
      expect((await scan(till, tampered, 5000).expect(400)).body.code).toBe('CODE_SIGNATURE_INVALID');
      expect((await scan(till, 'hello', 5000).expect(400)).body.code).toBe('CODE_MALFORMED');
      const reading = readVoucherCode(code, createSecretKey(Buffer.from(testConfig().voucherCodeKey)));
      if (!reading.ok) throw new Error('unreadable');
      const forged = signVoucherCode(reading.claims, createSecretKey(Buffer.from('a-key-that-is-not-the-server-key-at-all')));
      expect((await scan(till, forged, 5000).expect(400)).body.code).toBe('CODE_SIGNATURE_INVALID');
      const key = createSecretKey(Buffer.from(testConfig().voucherCodeKey));
      const stale = signVoucherCode({ ...reading.claims, expiresAt: Math.floor(Date.now() / 1000) - 6 }, key);
      expect((await scan(till, stale, 5000).expect(422)).body.code).toBe('CODE_EXPIRED');
      // Inside the clock skew a just-expired code still works.
      const skewed = signVoucherCode({ ...reading.claims, expiresAt: Math.floor(Date.now() / 1000) - 2 }, key);
      await scan(till, skewed, 5000).expect(201);
      expect((await scan(till, skewed, 5000).expect(409)).body.code).toBe('CODE_REPLAYED');
      expect(await redemptionsOf(voucherId)).toHaveLength(1);
    });

    it('refuses the code of a voucher whose owner has closed their account since it was shown, and gives no new one', async () => {
      const { resident, voucherId } = await voucherFor();
      const till = await createTill(db, index);
      const shown = await checkoutCode(issuance, resident, voucherId);
      // As CloseAccount leaves the row (its own e2e: resident-closing); the access token lives on until it expires.
      await db.query(`UPDATE residents SET phone = NULL, real_name = NULL, id_number_masked = NULL, closed_at = now() WHERE public_id = $1`, [resident.id]);
      expect((await scan(till, shown, 5000).expect(422)).body.code).toBe('VOUCHER_NOT_HELD');
      expect(await voucherStatus(voucherId)).toBe('claimed');
      expect(await redemptionsOf(voucherId)).toEqual([]);
      const again = await request(issuance.getHttpServer()).post(`/v1/me/vouchers/${voucherId}/code`).set(bearer(resident.token)).expect(404);
      expect(again.body.code).toBe('VOUCHER_NOT_FOUND');
    });

    it("refuses resident A's code presented for resident B's voucher", async () => {
      const a = await voucherFor();
      const b = await voucherFor();
      const till = await createTill(db, index);
      const key = createSecretKey(Buffer.from(testConfig().voucherCodeKey));
      // A genuine signature binding A to B's voucher can only come from the server key; the nonce is B's current one.
      await checkoutCode(issuance, b.resident, b.voucherId);
      const nonce = (await redis.prefixed.get(codeNonceKey(b.voucherId))) as string;
      const crossed = signVoucherCode({ voucherId: b.voucherId, residentId: a.resident.id, expiresAt: Math.floor(Date.now() / 1000) + 60, nonce }, key);
      expect((await scan(till, crossed, 5000).expect(422)).body.code).toBe('VOUCHER_NOT_HELD');
      expect(await voucherStatus(b.voucherId)).toBe('claimed');
    });

    it('refuses, each with its code: merchant not approved, category, district, threshold, inactive cashier; the code stays good', async () => {
      const cases: Array<[string, () => Promise<TestTill>, Parameters<typeof createActiveCampaign>[1], number, number]> = [
        ['MERCHANT_NOT_APPROVED', () => createTill(db, index, { status: 'suspended' }), {}, 5000, 403],
        ['CATEGORY_OUT_OF_SCOPE', () => createTill(db, index, { category: 'cars' }), {}, 5000, 422],
        ['DISTRICT_OUT_OF_SCOPE', () => createTill(db, index, { district: 'cixi' }), { districts: ['haishu'] }, 5000, 422],
        ['BELOW_THRESHOLD', () => createTill(db, index), {}, 3999, 422],
      ];
      for (const [code, makeTill, spec, amount, status] of cases) {
        const { resident, voucherId } = await voucherFor(spec);
        const till = await makeTill();
        const scanned = await checkoutCode(issuance, resident, voucherId);
        const answer = await scan(till, scanned, amount);
        expect([answer.status, answer.body.code]).toEqual([status, code]);
        expect(await voucherStatus(voucherId)).toBe('claimed');
        // The refusal is about the order or the till, not the code: it was given back, and works at a till that can take it.
        await scan(await createTill(db, index), scanned, 5000).expect(201);
        expect((await scan(till, scanned, 5000)).body.code).toBe('CODE_REPLAYED');
      }
      const { resident, voucherId } = await voucherFor();
      const till = await createTill(db, index);
      await db.query('UPDATE merchant_staff SET disabled_at = now() WHERE public_id = $1', [till.cashierId]);
      const code = await checkoutCode(issuance, resident, voucherId);
      expect((await scan(till, code, 5000).expect(403)).body.code).toBe('STAFF_INACTIVE');
      await scan(till, code, 5000, orderNo(), till.adminToken).expect(201);
    });

    it('refuses an expired voucher and a resident token at the till', async () => {
      const { resident, voucherId } = await voucherFor();
      const till = await createTill(db, index);
      const code = await checkoutCode(issuance, resident, voucherId);
      await db.query("UPDATE vouchers SET expires_at = now() - interval '1 second' WHERE public_id = $1", [voucherId]);
      expect((await scan(till, code, 5000).expect(422)).body.code).toBe('VOUCHER_EXPIRED');
      await scan(till, code, 5000, orderNo(), resident.token).expect(403);
    });

    it('asks Postgres when the eligibility index is not loaded, never trusts a missing entry, and lets an entry refuse even then', async () => {
      const loaded = eligibilityKeys.loaded;
      const suspended = await createTill(db, index, { status: 'suspended' });
      const approved = await createTill(db, index);
      await redis.prefixed.del(eligibilityKeys.merchant(approved.merchantId));
      const first = await voucherFor();
      // Loaded, but this merchant has no entry: not approved.
      expect((await scan(approved, await checkoutCode(issuance, first.resident, first.voucherId), 5000).expect(403)).body.code).toBe(
        'MERCHANT_NOT_APPROVED',
      );
      await redis.prefixed.del(loaded);
      try {
        await scan(approved, await checkoutCode(issuance, first.resident, first.voucherId), 5000).expect(201);
        const second = await voucherFor();
        expect((await scan(suspended, await checkoutCode(issuance, second.resident, second.voucherId), 5000).expect(403)).body.code).toBe(
          'MERCHANT_NOT_APPROVED',
        );
        // An entry read while the index is not loaded (a rebuild under way) still refuses: a
        // suspension is written to the index before Postgres, and the index may only be stricter.
        await redis.prefixed.hset(eligibilityKeys.merchant(approved.merchantId), { status: 'suspended', district: 'haishu', category: 'dining' });
        const third = await voucherFor();
        expect((await scan(approved, await checkoutCode(issuance, third.resident, third.voucherId), 5000).expect(403)).body.code).toBe(
          'MERCHANT_NOT_APPROVED',
        );
      } finally {
        await redis.prefixed.set(loaded, '1');
      }
    });

    it('refuses bad input with 400 and changes nothing', async () => {
      const { resident, voucherId } = await voucherFor();
      const till = await createTill(db, index);
      const code = await checkoutCode(issuance, resident, voucherId);
      const bad = [
        { code, orderAmountFen: 0, merchantOrderNo: orderNo() },
        { code, orderAmountFen: 50.5, merchantOrderNo: orderNo() },
        { code, orderAmountFen: '5000', merchantOrderNo: orderNo() },
        { code, orderAmountFen: 5000, merchantOrderNo: 'has spaces' },
        { code, orderAmountFen: 5000, merchantOrderNo: 'x'.repeat(65) },
        { code, orderAmountFen: 5000 },
        { code, orderAmountFen: 5000, merchantOrderNo: orderNo(), extra: 1 },
      ];
      for (const body of bad) {
        const answer = await request(redemption.getHttpServer()).post('/v1/redemptions').set(bearer(till.cashierToken)).send(body);
        expect([answer.status, answer.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      // A body that cannot be read: not JSON, broken JSON, no body, far too large.
      const post = () => request(redemption.getHttpServer()).post('/v1/redemptions').set(bearer(till.cashierToken));
      const unreadable = [
        await post().set('content-type', 'text/plain').send(JSON.stringify({ code, orderAmountFen: 5000, merchantOrderNo: orderNo() })),
        await post().set('content-type', 'application/json').send('{"code":'),
        await post(),
        await post().send({ code: 'x'.repeat(20_000), orderAmountFen: 5000, merchantOrderNo: orderNo() }),
      ];
      expect(unreadable.map((answer) => [answer.status, answer.body.code, typeof answer.body.requestId])).toEqual([
        [415, 'UNSUPPORTED_MEDIA_TYPE', 'string'],
        [400, 'MALFORMED_REQUEST', 'string'],
        [400, 'VALIDATION_FAILED', 'string'],
        [413, 'PAYLOAD_TOO_LARGE', 'string'],
      ]);
      await scan(till, code, 5000).expect(201);
    });
  });
});
