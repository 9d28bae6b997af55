import { connectRedis, LockLostError, withRedisLock } from '@vouchers/redis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** withRedisLock's lease (libs/redis/src/lock.ts), on the real Redis. */
describe('a Redis lock with a lease', () => {
  const redis = connectRedis(process.env.REDIS_URL as string, { keyPrefix: process.env.REDIS_KEY_PREFIX });
  const key = `lock-test:${Date.now()}`;

  afterAll(() => redis.disconnect());

  it("stays its holder's while the work runs past the lease, and is free after", async () => {
    let outsider: string | null = 'not tried';
    const held = withRedisLock(redis, key, { ttlMs: 300 }, async () => {
      await sleep(1_000);
      outsider = await withRedisLock(redis, key, { ttlMs: 300 }, async () => 'taken');
      return 'done';
    });
    expect(await held).toBe('done');
    expect(outsider).toBeNull();
    expect(await redis.exists(key)).toBe(0);
    expect(await withRedisLock(redis, key, { ttlMs: 300 }, async () => 'free')).toBe('free');
  });

  it('frees itself one lease after a holder that is gone (died, or brought back by an old snapshot)', async () => {
    await redis.set(key, 'a-holder-that-is-gone', 'PX', 400);
    expect(await withRedisLock(redis, key, { ttlMs: 400 }, async () => 'taken')).toBeNull();
    expect(await withRedisLock(redis, key, { ttlMs: 400, waitMs: 1_000 }, async () => 'taken')).toBe('taken');
  });

  it('tells work whose lock was taken over that it lost it, and leaves the new holder its lock', async () => {
    const taken = withRedisLock(redis, key, { ttlMs: 300 }, async (lease) => {
      lease.assertHeld();
      await redis.set(key, 'someone-else', 'PX', 5_000);
      await sleep(1_000); // a renewal (every 100 ms) finds the key someone else's
      lease.assertHeld();
      return 'wrote on';
    });
    await expect(taken).rejects.toBeInstanceOf(LockLostError);
    expect(await redis.get(key)).toBe('someone-else');
    await redis.del(key);
  });

  it('refuses work to go on once no renewal has reached Redis for two thirds of the lease', async () => {
    const holder = connectRedis(process.env.REDIS_URL as string, { keyPrefix: process.env.REDIS_KEY_PREFIX, maxRetriesPerRequest: 0 });
    const checks: string[] = [];
    const cut = withRedisLock(holder, key, { ttlMs: 1_500 }, async (lease) => {
      lease.assertHeld();
      checks.push('held');
      holder.disconnect(); // every renewal fails from here on
      await sleep(250);
      lease.assertHeld(); // 250 ms of 1,500: more than a third of the lease is left, still held
      checks.push('still held');
      await sleep(900);
      lease.assertHeld(); // 1,150 ms: no renewal for more than two thirds of it
      return 'wrote on';
    });
    await expect(cut).rejects.toBeInstanceOf(LockLostError);
    expect(checks).toEqual(['held', 'still held']);
    // Its lease runs out in Redis as after a crash, and the lock is free again.
    expect(await withRedisLock(redis, key, { ttlMs: 400, waitMs: 3_000 }, async () => 'taken')).toBe('taken');
  });
});
