export { REDIS, RECONNECT_MAX_MS, RedisModule, createRedisClient, reconnectDelay, redisOptionsFromUrl } from './redis.module';
export { callScript, readLuaScript, readLuaScripts, registerLuaScripts, SHARED_SCRIPTS_DIR } from './lua-scripts';
export type { LuaScript, ScriptReply } from './lua-scripts';
export { giveBackRateLimitHit, hitRateLimit } from './rate-limiter';
export type { RateLimitResult } from './rate-limiter';
export { isRedisReachable } from './health';
export { LockLostError, withRedisLock } from './lock';
export type { Lease, RedisLockOptions } from './lock';
export type { Redis } from 'ioredis';
