import { creditCodeCheckChar, newPublicId } from '@vouchers/common';
import { EligibilityIndex, holdEligibilityWrites } from '@vouchers/eligibility';
import { createRedisClient, Redis } from '@vouchers/redis';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { testConfig } from './support/apps';
import { openTestDatabase } from './support/database';

/** A rebuild of the index must not write a merchant's old status over a change in flight. */
describe('the eligibility index rebuild', () => {
  let db: DataSource;
  let redis: Redis;
  let index: EligibilityIndex;

  beforeAll(async () => {
    db = await openTestDatabase();
    redis = createRedisClient(testConfig(), 'test');
    index = new EligibilityIndex(redis, db);
  });

  afterAll(async () => {
    redis.disconnect();
    await db.destroy();
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

    let rebuilt = false;
    const rebuild = (async () => {
      // Another app's watch may hold the rebuild lock for a moment; try until this one runs.
      for (let i = 0; i < 50 && !(await index.rebuild()); i++) await new Promise((r) => setTimeout(r, 100));
      rebuilt = true;
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rebuilt).toBe(false); // still waiting for the decision

    await decision.commitTransaction();
    await decision.release();
    await rebuild;
    const { loaded, entry } = await index.get(merchantId);
    expect(loaded).toBe(true);
    expect(entry?.status).toBe('suspended');
  });
});
