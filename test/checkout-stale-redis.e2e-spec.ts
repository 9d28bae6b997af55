import { codeNonceKey } from '@vouchers/voucher-code';
import { DataSource } from 'typeorm';
import { checkoutCode, CheckoutRig, ledgerImbalance } from './support/checkout';
import { restoreSnapshot, takeSnapshot } from './support/redis-snapshot';

/**
 * The till when Redis comes back with old data: the nonce store forgets that a code was spent,
 * so the code passes its single-use check again. The voucher's conditional update in Postgres
 * (claimed → redeemed) is what refuses the second redemption (DESIGN §4.4, §4.7).
 */
describe('checkout when Redis comes back with old data', () => {
  const rig = new CheckoutRig();
  let db: DataSource;

  beforeAll(async () => {
    ({ db } = await rig.start());
  });

  afterAll(async () => {
    expect(await ledgerImbalance(db)).toBe(0);
    await rig.stop();
  });

  it('a code spent before the snapshot was restored is never redeemed twice, even at many tills at once', async () => {
    const { resident, voucherId } = await rig.voucherFor();
    const tills = await Promise.all([rig.till(), rig.till(), rig.till()]);
    const code = await checkoutCode(rig.issuance, resident, voucherId);
    const nonceKey = `${rig.redis.prefix}${codeNonceKey(voucherId)}`;
    const snapshot = await takeSnapshot(rig.redis.raw, nonceKey);
    expect(snapshot).toHaveLength(1);

    const first = await rig.scan(tills[0], code, 5000).expect(201);
    expect((await rig.scan(tills[1], code, 5000).expect(409)).body.code).toBe('CODE_REPLAYED');
    // Redis restarts from the snapshot: the nonce is unspent again.
    await restoreSnapshot(rig.redis.raw, nonceKey, snapshot);

    const replays = await Promise.all(Array.from({ length: 12 }, (_, i) => rig.scan(tills[i % 3], code, 5000)));
    const statuses = replays.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201 || status === 200)).toEqual([]);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    // The first to reach Redis spends the restored nonce and is refused by the voucher's state; the rest are replays.
    expect(replays.map((answer) => answer.body.code).sort()).toEqual(['VOUCHER_NOT_CLAIMED', ...Array(11).fill('CODE_REPLAYED')].sort());

    const rows: Array<{ public_id: string }> = await db.query(
      'SELECT r.public_id FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id WHERE v.public_id = $1',
      [voucherId],
    );
    expect(rows.map((row) => row.public_id)).toEqual([first.body.redemptionId]);
  });
});
