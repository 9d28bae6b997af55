--! keys: any
-- Admission of a batch of grabs of one campaign, in order, as if each ran alone: the grabs
-- one process received in one turn of its event loop, so Redis runs one script, not one per
-- grab. Every key carries the campaign's hash tag {cmp:<id>}, so the script runs in one slot,
-- unchanged on Redis Cluster. It protects invariants 1 and 2: a round never gives out more
-- than its stock, the campaign never more face value than its budget, and a person never more
-- than the campaign's limit (one per round), whatever the concurrency.
--
-- KEYS[1] {cmp}:loaded   admission generation; missing means "not loaded", never "zero left"
-- KEYS[2] {cmp}:meta     hash: status, limit, budget (fen left), ttl (unix ms the state may expire)
-- KEYS[3] {cmp}:pending  sorted set of reservations not yet known to be in Postgres, by time
-- KEYS[4] {cmp}:index    set of the state's round and person keys (person:P added here), so a
--                        rebuild finds them without SCAN
-- then for grab i (from 1): KEYS[3 + 2i] {cmp}:round:R    hash: stock, opens (unix ms), closes (unix ms, 0 = none), face (fen)
--                           KEYS[4 + 2i] {cmp}:person:P   hash: r:<round> = voucher id, s:<slot> = round,
--                                                         v:<voucher> = slot, k:<idempotency key> = round|voucher
-- ARGV[1] the process that asks (its life id, ProcessLife): each reservation names its maker, so
--         once that process is gone its orphans can be settled at once (abandoned-reservations.ts)
-- then four for grab i: round id, new voucher id, idempotency key ('' when none), person id
--
-- Returns one reply per grab, in order:
--   OK voucher slot generation | SAME voucher slot | NOT_LOADED | NOT_ACTIVE status | NO_ROUND
--   NOT_OPEN opensAt | CLOSED | LIMIT | SOLD_OUT | BUDGET | KEY_REUSED
local maker = ARGV[1]
local grabs = (#ARGV - 1) / 4
local replies = {}
local generation = redis.call('GET', KEYS[1])
if not generation then
  for i = 1, grabs do replies[i] = { 'NOT_LOADED' } end
  return replies
end

local meta = redis.call('HMGET', KEYS[2], 'status', 'limit', 'budget', 'ttl')
local status, limit, budget = meta[1], tonumber(meta[2]), tonumber(meta[3])
local spent = 0
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local pending = {}

local function admit(roundKey, personKey, round, voucher, key, person)
  if key ~= '' then
    local seen = redis.call('HGET', personKey, 'k:' .. key)
    if seen then
      local sep = string.find(seen, '|', 1, true)
      if string.sub(seen, 1, sep - 1) ~= round then return { 'KEY_REUSED' } end
      local held = string.sub(seen, sep + 1)
      return { 'SAME', held, redis.call('HGET', personKey, 'v:' .. held) or '0' }
    end
  end
  local held = redis.call('HGET', personKey, 'r:' .. round)
  if held then return { 'SAME', held, redis.call('HGET', personKey, 'v:' .. held) or '0' } end

  if status ~= 'active' then return { 'NOT_ACTIVE', status or 'unknown' } end
  local r = redis.call('HMGET', roundKey, 'stock', 'opens', 'closes', 'face')
  if not r[1] then return { 'NO_ROUND' } end
  if now < tonumber(r[2]) then return { 'NOT_OPEN', r[2] } end
  if tonumber(r[3]) > 0 and now >= tonumber(r[3]) then return { 'CLOSED' } end

  -- The lowest free slot in 1..limit; the vouchers table's unique (campaign, resident, slot) backs it.
  local slot = nil
  for s = 1, limit do
    if redis.call('HEXISTS', personKey, 's:' .. s) == 0 then slot = s; break end
  end
  if not slot then return { 'LIMIT' } end
  if tonumber(r[1]) <= 0 then return { 'SOLD_OUT' } end
  local face = tonumber(r[4])
  if budget < face then return { 'BUDGET' } end

  budget = budget - face
  spent = spent + face
  redis.call('HINCRBY', roundKey, 'stock', -1)
  redis.call('HSET', personKey, 'r:' .. round, voucher, 's:' .. slot, round, 'v:' .. voucher, slot)
  if key ~= '' then redis.call('HSET', personKey, 'k:' .. key, round .. '|' .. voucher) end
  redis.call('PEXPIREAT', personKey, meta[4])
  redis.call('SADD', KEYS[4], 'person:' .. person)
  pending[#pending + 1] = now
  pending[#pending + 1] = round .. '|' .. person .. '|' .. voucher .. '|' .. slot .. '|' .. key .. '|' .. maker
  return { 'OK', voucher, tostring(slot), generation }
end

for i = 1, grabs do
  local a = 1 + 4 * (i - 1)
  replies[i] = admit(KEYS[3 + 2 * i], KEYS[4 + 2 * i], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4])
end
if #pending > 0 then
  redis.call('HINCRBY', KEYS[2], 'budget', -spent)
  redis.call('ZADD', KEYS[3], unpack(pending))
  redis.call('PEXPIREAT', KEYS[3], meta[4])
  redis.call('PEXPIREAT', KEYS[4], meta[4])
end
return replies
