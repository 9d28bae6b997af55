--! keys: 5
-- Admission of one grab. Every key carries the campaign's hash tag {cmp:<id>}, so the script
-- runs in one slot, unchanged on Redis Cluster. It protects invariants 1 and 2: a round never
-- gives out more than its stock, the campaign never more face value than its budget, and a
-- person never more than the campaign's limit (one per round), whatever the concurrency.
--
-- KEYS[1] {cmp}:loaded   admission generation; missing means "not loaded", never "zero left"
-- KEYS[2] {cmp}:meta     hash: status, limit, budget (fen left), ttl (unix ms the state may expire)
-- KEYS[3] {cmp}:round:R  hash: stock, opens (unix ms), closes (unix ms, 0 = none), face (fen)
-- KEYS[4] {cmp}:person:P hash: r:<round> = voucher id, s:<slot> = round, k:<idempotency key> = round|voucher
-- KEYS[5] {cmp}:pending  sorted set of reservations not yet known to be in Postgres, by time
-- ARGV[1] round id   ARGV[2] new voucher id   ARGV[3] idempotency key ('' when none)   ARGV[4] person id
--
-- Returns { outcome, a, b }:
--   OK voucher slot generation | SAME voucher slot | NOT_LOADED | NOT_ACTIVE status | NO_ROUND
--   NOT_OPEN opensAt | CLOSED | LIMIT | SOLD_OUT | BUDGET | KEY_REUSED
local generation = redis.call('GET', KEYS[1])
if not generation then return { 'NOT_LOADED' } end

local round, voucher, key = ARGV[1], ARGV[2], ARGV[3]
if key ~= '' then
  local seen = redis.call('HGET', KEYS[4], 'k:' .. key)
  if seen then
    local sep = string.find(seen, '|', 1, true)
    if string.sub(seen, 1, sep - 1) ~= round then return { 'KEY_REUSED' } end
    local held = string.sub(seen, sep + 1)
    return { 'SAME', held, redis.call('HGET', KEYS[4], 'v:' .. held) or '0' }
  end
end
local held = redis.call('HGET', KEYS[4], 'r:' .. round)
if held then return { 'SAME', held, redis.call('HGET', KEYS[4], 'v:' .. held) or '0' } end

local meta = redis.call('HMGET', KEYS[2], 'status', 'limit', 'budget', 'ttl')
if meta[1] ~= 'active' then return { 'NOT_ACTIVE', meta[1] or 'unknown' } end
local r = redis.call('HMGET', KEYS[3], 'stock', 'opens', 'closes', 'face')
if not r[1] then return { 'NO_ROUND' } end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now < tonumber(r[2]) then return { 'NOT_OPEN', r[2] } end
if tonumber(r[3]) > 0 and now >= tonumber(r[3]) then return { 'CLOSED' } end

-- The lowest free slot in 1..limit; the vouchers table's unique (campaign, resident, slot) backs it.
local limit = tonumber(meta[2])
local slot = nil
for i = 1, limit do
  if redis.call('HEXISTS', KEYS[4], 's:' .. i) == 0 then slot = i; break end
end
if not slot then return { 'LIMIT' } end
if tonumber(r[1]) <= 0 then return { 'SOLD_OUT' } end
local face = tonumber(r[4])
if tonumber(meta[3]) < face then return { 'BUDGET' } end

redis.call('HINCRBY', KEYS[3], 'stock', -1)
redis.call('HINCRBY', KEYS[2], 'budget', -face)
redis.call('HSET', KEYS[4], 'r:' .. round, voucher, 's:' .. slot, round, 'v:' .. voucher, slot)
if key ~= '' then redis.call('HSET', KEYS[4], 'k:' .. key, round .. '|' .. voucher) end
redis.call('PEXPIREAT', KEYS[4], meta[4])
redis.call('ZADD', KEYS[5], now, round .. '|' .. ARGV[4] .. '|' .. voucher .. '|' .. slot .. '|' .. key)
return { 'OK', voucher, tostring(slot), generation }
