import type { RedisClient as Redis } from './redis.module';
import { callScript } from './lua-scripts';

export interface RateLimitResult {
  allowed: boolean;
  hits: number;
  retryAfterMs: number;
}

/** Counts hits per subject in fixed windows with one atomic Lua call. */
export async function hitRateLimit(
  client: Redis,
  key: string,
  limit: number,
  windowMs: number,
): Promise<RateLimitResult> {
  const [allowed, hits, ttl] = (await callScript(client, 'rateLimit', [key], [limit, windowMs])) as number[];
  return { allowed: Number(allowed) === 1, hits: Number(hits), retryAfterMs: Number(ttl) };
}

const GIVE_BACK = "local n = tonumber(redis.call('GET', KEYS[1])) if n and n > 0 then return redis.call('DECR', KEYS[1]) end return 0";

/** Takes back one counted hit (the counted work never happened); the window and its expiry stay as they are. */
export async function giveBackRateLimitHit(client: Redis, key: string): Promise<void> {
  await client.eval(GIVE_BACK, 1, key);
}
