import { newPublicId } from '@vouchers/common';
import { codeNonceKey, VoucherCodes } from '@vouchers/voucher-code';
import { CheckoutRig, ledgerImbalance } from './support/checkout';
import { openTestDatabase, waitUntilBlockedBy } from './support/database';

/**
 * A scan refused for the order (below the threshold, out of scope, the order number taken) or
 * the till gives the code back: the cashier scans the same code again with the right amount.
 * A refusal about the code or the voucher keeps it spent, and a give-back never revives a code
 * another scan spent or redeemed with. Face 1000 fen, threshold 4000 fen.
 */
describe('checkout: a scan refused for the order gives the code back', () => {
  const rig = new CheckoutRig();
  const redemptionsOf = async (voucherId: string) =>
    Number(
      (
        await rig.db.query('SELECT count(*)::int AS n FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id WHERE v.public_id = $1', [
          voucherId,
        ])
      )[0].n,
    );

  beforeAll(async () => {
    await rig.start();
  });

  afterAll(async () => {
    expect(await ledgerImbalance(rig.db)).toBe(0);
    await rig.stop();
  });

  it('takes the same code again after 422 BELOW_THRESHOLD, then refuses its replay', async () => {
    const { resident, voucherId } = await rig.voucherFor();
    const till = await rig.till();
    const code = await rig.code(resident, voucherId);
    expect((await rig.scan(till, code, 3999).expect(422)).body.code).toBe('BELOW_THRESHOLD');
    expect(await rig.voucherStatus(voucherId)).toBe('claimed');
    const orderNo = rig.orderNo();
    const redeemed = await rig.scan(till, code, 4000, orderNo).expect(201);
    expect(redeemed.body).toMatchObject({ voucherId, orderAmountFen: 4000, discountFen: 1000, payableFen: 3000 });
    expect((await rig.scan(till, code, 4000).expect(409)).body.code).toBe('CODE_REPLAYED');
    expect((await rig.scan(till, code, 3999).expect(409)).body.code).toBe('CODE_REPLAYED');
    // The till's retry still answers with the first result.
    expect((await rig.scan(till, code, 4000, orderNo).expect(200)).body).toEqual(redeemed.body);
    expect(await redemptionsOf(voucherId)).toBe(1);
  });

  it('takes the same code again after ORDER_NO_CONFLICT, with a free order number', async () => {
    const till = await rig.till();
    const first = await rig.voucherFor();
    const taken = rig.orderNo();
    await rig.scan(till, await rig.code(first.resident, first.voucherId), 5000, taken).expect(201);
    const { resident, voucherId } = await rig.voucherFor();
    const code = await rig.code(resident, voucherId);
    expect((await rig.scan(till, code, 5000, taken).expect(409)).body.code).toBe('ORDER_NO_CONFLICT');
    await rig.scan(till, code, 5000).expect(201);
    expect((await rig.scan(till, code, 5000).expect(409)).body.code).toBe('CODE_REPLAYED');
  });

  it('takes the same code again after ORDER_NO_CONFLICT from another till that committed the order number first', async () => {
    const till = await rig.till();
    const [first, second] = [await rig.voucherFor(), await rig.voucherFor()];
    const [firstCode, secondCode] = [await rig.code(first.resident, first.voucherId), await rig.code(second.resident, second.voucherId)];
    const taken = rig.orderNo();
    // Both scans start their statements before either commits, in two statements: the second meets the
    // first's order number only at its insert (a unique violation), not in its snapshot.
    const locker = await openTestDatabase();
    const runner = locker.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let answers: Array<{ status: number; body: { code?: string } }>;
    try {
      await runner.query('LOCK TABLE campaigns IN ACCESS EXCLUSIVE MODE');
      const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
      const firstScan = rig.scan(till, firstCode, 5000, taken).then((answer) => answer);
      await waitUntilBlockedBy(rig.db, pid);
      const secondScan = rig.scan(till, secondCode, 5000, taken).then((answer) => answer);
      await waitUntilBlockedBy(rig.db, pid, 2);
      await runner.rollbackTransaction();
      answers = await Promise.all([firstScan, secondScan]);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
      await locker.destroy();
    }
    expect(answers.map((answer) => [answer.status, answer.body.code]).sort()).toEqual([
      [201, undefined],
      [409, 'ORDER_NO_CONFLICT'],
    ]);
    const refusedCode = answers[0].status === 409 ? firstCode : secondCode;
    await rig.scan(till, refusedCode, 5000).expect(201);
  });

  it('keeps the code spent when the voucher refused it (expired)', async () => {
    const { resident, voucherId } = await rig.voucherFor();
    const till = await rig.till();
    const code = await rig.code(resident, voucherId);
    await rig.db.query("UPDATE vouchers SET expires_at = now() - interval '1 second' WHERE public_id = $1", [voucherId]);
    expect((await rig.scan(till, code, 5000).expect(422)).body.code).toBe('VOUCHER_EXPIRED');
    await rig.db.query("UPDATE vouchers SET expires_at = now() + interval '1 day' WHERE public_id = $1", [voucherId]);
    expect((await rig.scan(till, code, 5000).expect(409)).body.code).toBe('CODE_REPLAYED');
    expect(await rig.voucherStatus(voucherId)).toBe('claimed');
  });

  it('redeems at most once when a scan refused for the order and a right one race for one code', async () => {
    const { resident, voucherId } = await rig.voucherFor();
    const till = await rig.till();
    const code = await rig.code(resident, voucherId);
    // The refused scan spends the code first and is held in Postgres (REDEEM_BATCH reads the campaign; the
    // replay's answer does not) until the right scan has been answered.
    const locker = await openTestDatabase();
    const runner = locker.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('LOCK TABLE campaigns IN ACCESS EXCLUSIVE MODE');
      const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
      const refused = rig.scan(till, code, 3999).then((answer) => answer); // then() sends it now
      await waitUntilBlockedBy(rig.db, pid);
      expect((await rig.scan(till, code, 5000).expect(409)).body.code).toBe('CODE_REPLAYED');
      await runner.rollbackTransaction();
      expect((await refused).body.code).toBe('BELOW_THRESHOLD');
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
      await locker.destroy();
    }
    await rig.scan(till, code, 5000).expect(201);

    // Many at once, half below the threshold: never two redemptions, every other answer a refusal.
    for (let round = 0; round < 5; round++) {
      const held = await rig.voucherFor();
      const racing = await rig.code(held.resident, held.voucherId);
      const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => rig.scan(till, racing, i % 2 ? 3999 : 5000)));
      const created = answers.filter((answer) => answer.status === 201);
      expect(created.length).toBeLessThanOrEqual(1);
      expect(answers.filter((answer) => answer.status !== 201).every((answer) => ['BELOW_THRESHOLD', 'CODE_REPLAYED'].includes(answer.body.code))).toBe(
        true,
      );
      expect(await redemptionsOf(held.voucherId)).toBe(created.length);
      // Redeemed, or given back by the last refused scan: the code is spent or good, never both.
      const again = await rig.scan(till, racing, 5000);
      expect([created.length, again.status, again.body.code]).toEqual(created.length ? [1, 409, 'CODE_REPLAYED'] : [0, 201, undefined]);
      expect(await redemptionsOf(held.voucherId)).toBe(1);
    }
  }, 60_000);

  it('gives back only the spend of the scan that made it', async () => {
    const codes = rig.redemption.get(VoucherCodes);
    const voucherId = newPublicId();
    const nonce = 'a1b2c3';
    await rig.redis.prefixed.set(codeNonceKey(voucherId), nonce, 'PX', 60_000);
    const [first, second] = [newPublicId(), newPublicId()];
    expect(await codes.spend(voucherId, nonce, first)).toBe('SPENT');
    expect(await codes.giveBack(voucherId, nonce, second)).toBe(false);
    expect(await codes.spend(voucherId, nonce, second)).toBe('REPLAYED');
    expect(await codes.giveBack(voucherId, nonce, first)).toBe(true);
    expect(await codes.spend(voucherId, nonce, second)).toBe('SPENT');
    // The first scan's give-back, sent again, does not revive the code the second scan spent.
    expect(await codes.giveBack(voucherId, nonce, first)).toBe(false);
    expect(await codes.spend(voucherId, nonce, first)).toBe('REPLAYED');
    // A newer code replaced it: the second scan's give-back leaves the newer code alone.
    await rig.redis.prefixed.set(codeNonceKey(voucherId), 'd4e5f6', 'KEEPTTL');
    expect(await codes.giveBack(voucherId, nonce, second)).toBe(false);
    expect(await rig.redis.prefixed.get(codeNonceKey(voucherId))).toBe('d4e5f6');
    expect(await rig.redis.prefixed.pttl(codeNonceKey(voucherId))).toBeGreaterThan(0);
    await rig.redis.prefixed.del(codeNonceKey(voucherId));
  });
});
