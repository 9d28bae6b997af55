import { testConfig } from './support/apps';
import { connectRedis, createRedisClient, giveBackRateLimitHit, hitRateLimit, Redis } from '@vouchers/redis';
import { randomBytes } from 'node:crypto';

describe('the rate-limit Lua script', () => {
  let client: Redis;

  beforeAll(() => {
    client = createRedisClient(testConfig(), 'test');
  });

  afterAll(() => {
    client.disconnect();
  });

  it('lets exactly the limit through when hits arrive concurrently', async () => {
    const key = `rl:{phone:${randomBytes(4).toString('hex')}}`;
    const results = await Promise.all(Array.from({ length: 60 }, () => hitRateLimit(client, key, 10, 60_000)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(Math.max(...results.map((r) => r.hits))).toBe(60);
    expect(results.every((r) => r.retryAfterMs > 0 && r.retryAfterMs <= 60_000)).toBe(true);
  });

  it('opens again when the window ends', async () => {
    const key = `rl:{ip:${randomBytes(4).toString('hex')}}`;
    // A window of a second, so a loaded machine's pause between the first two hits cannot end it.
    expect((await hitRateLimit(client, key, 1, 1_000)).allowed).toBe(true);
    expect((await hitRateLimit(client, key, 1, 1_000)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await hitRateLimit(client, key, 1, 1_000)).allowed).toBe(true);
  });

  it('gives back a counted hit within its window, never below zero and never into a missing counter', async () => {
    const key = `rl:{phone:${randomBytes(4).toString('hex')}}`;
    await hitRateLimit(client, key, 1, 60_000);
    expect((await hitRateLimit(client, key, 1, 60_000)).allowed).toBe(false);
    for (let i = 0; i < 3; i++) await giveBackRateLimitHit(client, key);
    expect(await client.get(key)).toBe('0');
    expect(await client.pttl(key)).toBeGreaterThan(0);
    expect((await hitRateLimit(client, key, 1, 60_000)).allowed).toBe(true);
    const missing = `rl:{phone:${randomBytes(4).toString('hex')}}`;
    await giveBackRateLimitHit(client, missing);
    expect(await client.exists(missing)).toBe(0);
  });

  it('writes its keys under the run prefix', async () => {
    const key = `rl:{probe:${randomBytes(4).toString('hex')}}`;
    await hitRateLimit(client, key, 1, 10_000);
    const raw = connectRedis(process.env.REDIS_URL as string);
    try {
      expect(await raw.exists(`${process.env.REDIS_KEY_PREFIX}${key}`)).toBe(1);
      expect(await raw.exists(key)).toBe(0);
    } finally {
      raw.disconnect();
    }
  });
});
