--! keys: 6
-- Adds a return to the pool (回流, apps/issuance/src/pool-returns) to the campaign's admission
-- state exactly once: the stock to its target round and the change to the campaign's budget,
-- keyed by the return's own id. Postgres already holds the return (the round's quantity was
-- raised in the transaction that recorded it); this only brings Redis level with it. A job
-- retried, duplicated, or run again after a crash finds the id in the set and adds nothing; a
-- rebuild from Postgres writes the set with every return it counted, so it is never added twice.
-- A grab running beside it sees the stock before or after, never half of it (one script).
--
-- KEYS[1] {cmp}:loaded    admission generation; missing: no state, the next rebuild counts the return
-- KEYS[2] {cmp}:meta      hash: budget (fen left), ttl (unix ms the state may expire)
-- KEYS[3] {cmp}:round:R   the target round's hash: stock (left untouched when ARGV[2] is 0)
-- KEYS[4] {cmp}:returned  set of the returns the state holds
-- KEYS[5] {cmp}:lock      the state lock: while a rebuild or a sync holds it, wait
-- KEYS[6] {cmp}:round:S   the source round's hash: a closed round whose unclaimed stock left it
--                         gives it up (ARGV[4] < 0), as Postgres lowered its quantity
-- ARGV[1] the return's public id  ARGV[2] stock to add  ARGV[3] fen to add to the budget (may be < 0)
-- ARGV[4] stock to add to the source round (0, or minus the stock that left it)
--
-- Returns APPLIED | ALREADY | NOT_LOADED | BUSY | NO_ROUND
if redis.call('EXISTS', KEYS[5]) == 1 then return 'BUSY' end
if not redis.call('GET', KEYS[1]) then return 'NOT_LOADED' end
if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then return 'ALREADY' end
local stock, budget = tonumber(ARGV[2]), tonumber(ARGV[3])
if stock > 0 then
  if redis.call('HEXISTS', KEYS[3], 'stock') == 0 then return 'NO_ROUND' end
  redis.call('HINCRBY', KEYS[3], 'stock', stock)
end
local left = tonumber(ARGV[4])
if left ~= 0 and redis.call('HEXISTS', KEYS[6], 'stock') == 1 then redis.call('HINCRBY', KEYS[6], 'stock', left) end
if budget ~= 0 then redis.call('HINCRBY', KEYS[2], 'budget', budget) end
redis.call('SADD', KEYS[4], ARGV[1])
local ttl = redis.call('HGET', KEYS[2], 'ttl')
if ttl then redis.call('PEXPIREAT', KEYS[4], ttl) end
return 'APPLIED'
