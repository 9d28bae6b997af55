--! keys: 5
-- Gives back a reservation whose row never reached Postgres (the insert failed, or the
-- process that made it died). Only the generation that made it can release it: after a
-- rebuild from Postgres the counts are already right, and releasing again would oversell.
-- Releasing twice is harmless: the second finds the person's record no longer points at it.
--
-- KEYS[1] {cmp}:loaded  KEYS[2] {cmp}:meta  KEYS[3] {cmp}:round:R  KEYS[4] {cmp}:person:P  KEYS[5] {cmp}:pending
-- (as grab-reserve.lua describes them)
-- ARGV[1] round id  ARGV[2] voucher id  ARGV[3] slot  ARGV[4] idempotency key ('' none)
-- ARGV[5] generation of the reservation  ARGV[6] pending member
-- Returns 1 when released, 0 when there was nothing to release.
redis.call('ZREM', KEYS[5], ARGV[6])
if redis.call('GET', KEYS[1]) ~= ARGV[5] then return 0 end
local round, voucher = ARGV[1], ARGV[2]
if redis.call('HGET', KEYS[4], 'r:' .. round) ~= voucher then return 0 end
local face = tonumber(redis.call('HGET', KEYS[3], 'face'))
redis.call('HINCRBY', KEYS[3], 'stock', 1)
redis.call('HINCRBY', KEYS[2], 'budget', face)
redis.call('HDEL', KEYS[4], 'r:' .. round, 's:' .. ARGV[3], 'v:' .. voucher)
if ARGV[4] ~= '' then redis.call('HDEL', KEYS[4], 'k:' .. ARGV[4]) end
return 1
