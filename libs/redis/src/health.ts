import { withTimeout } from '@vouchers/common';
import type { RedisClient as Redis } from './redis.module';

/** True when Redis answers PING within the timeout. */
export async function isRedisReachable(client: Redis, timeoutMs = 1_000): Promise<boolean> {
  if (client.status !== 'ready') return false;
  const probe = client.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  );
  return withTimeout(probe, timeoutMs, false);
}
