export { REDIS, RECONNECT_MAX_MS, RedisModule, connectRedis, createRedisClient, reconnectDelay, redisOptionsFromUrl } from './redis.module';
export type { ConnectOptions, RedisClient } from './redis.module';
export { isClusterUrl, parseRedisUrl } from './redis-url';
export type { RedisTarget } from './redis-url';
export { callScript, readLuaScript, readLuaScripts, registerLuaScripts, SHARED_SCRIPTS_DIR } from './lua-scripts';
export type { LuaScript, ScriptReply } from './lua-scripts';
export { giveBackRateLimitHit, hitRateLimit } from './rate-limiter';
export type { RateLimitResult } from './rate-limiter';
export { isRedisReachable } from './health';
export { isRedisUnavailable } from './redis-unavailable';
export { CLUSTER_SLOTS, keySlot, spreadOverSlots } from './key-slot';
export { LockLostError, withRedisLock } from './lock';
export type { Lease, RedisLockOptions } from './lock';
/** The client type callers name: one Redis or a Redis Cluster (RedisClient). */
export type { RedisClient as Redis } from './redis.module';
