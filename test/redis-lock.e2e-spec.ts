import { withRedisLock } from '@vouchers/redis';
import Redis from 'ioredis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** withRedisLock's lease (libs/redis/src/lock.ts), on the real Redis. */
describe('a Redis lock with a lease', () => {
  const redis = new Redis(process.env.REDIS_URL as string, { keyPrefix: process.env.REDIS_KEY_PREFIX });
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
});
