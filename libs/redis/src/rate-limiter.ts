import type Redis from 'ioredis';
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
