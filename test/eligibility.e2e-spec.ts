import { creditCodeCheckChar, newPublicId } from '@vouchers/common';
import { EligibilityIndex, eligibilityKeys, holdEligibilityWrites } from '@vouchers/eligibility';
import { createRedisClient, Redis } from '@vouchers/redis';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { testConfig } from './support/apps';
import { openTestDatabase, waitUntilBlockedBy } from './support/database';
import { isolateThisFile } from './support/settlement';

/** A rebuild of the index must not write a merchant's old status over a change in flight. */
describe('the eligibility index rebuild', () => {
  let db: DataSource;
  let redis: Redis;
  let index: EligibilityIndex;

  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    // A database of its own: the only backend that can wait on the decision below is this rebuild's.
    dropDatabase = await isolateThisFile();
    db = await openTestDatabase();
    redis = createRedisClient(testConfig(), 'test');
    index = new EligibilityIndex(redis, db);
  });

  afterAll(async () => {
    redis.disconnect();
    await db.destroy();
    await dropDatabase();
  });

  it('waits for a suspension in flight, then indexes what Postgres committed', async () => {
    const merchantId = newPublicId();
    const first17 = `91330200MA2E${String(randomInt(0, 99_999)).padStart(5, '0')}`;
    await db.query(
      `INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address, status)
       VALUES ($1, $2, 'Race Co', 'Race shop', 'haishu', 'dining', 'road', 'approved')`,
      [merchantId, first17 + creditCodeCheckChar(first17)],
    );
    // A decision suspending the merchant: index first (it may only get stricter), then Postgres.
    const decision = db.createQueryRunner();
    await decision.connect();
    await decision.startTransaction();
    await holdEligibilityWrites(decision.manager);
    await index.put({ merchantId, status: 'suspended', district: 'haishu', category: 'dining' });
    await decision.query(`UPDATE merchants SET status = 'suspended' WHERE public_id = $1`, [merchantId]);
    const [{ pid: decisionPid }]: Array<{ pid: number }> = await decision.query('SELECT pg_backend_pid() AS pid');

    let rebuilt = false;
    const rebuild = index.rebuild().then((ran) => {
      rebuilt = ran;
    });
    // The rebuild holds its Redis lock and its statement waits on the decision's lock (nothing else
    // runs in this file's database): it is blocked, not merely slow.
    await waitUntilBlockedBy(db, decisionPid);
    expect(await redis.exists(eligibilityKeys.rebuildLock)).toBe(1);
    expect(rebuilt).toBe(false);

    await decision.commitTransaction();
    await decision.release();
    await rebuild;
    expect(rebuilt).toBe(true);
    const { loaded, entry } = await index.get(merchantId);
    expect(loaded).toBe(true);
    expect(entry?.status).toBe('suspended');
  });
});
