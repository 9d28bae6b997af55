--! keys: 3
-- The second half of a move between hot-stock buckets: adds what bucket-take.lua took from a
-- donor to the bucket that ran dry, under the same generation. A bucket rebuilt since (or
-- not loaded) gets nothing: its counts came from Postgres, which the move never changed.
--
-- KEYS[1] {cmp:<id>:b<k>}:loaded  KEYS[2] {cmp:<id>:b<k>}:meta  KEYS[3] {cmp:<id>:b<k>}:round:R
-- ARGV[1] generation  ARGV[2] stock  ARGV[3] fen of budget
-- Returns 1 when added, 0 when dropped.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then redis.call('HINCRBY', KEYS[3], 'stock', ARGV[2]) end
if tonumber(ARGV[3]) > 0 then redis.call('HINCRBY', KEYS[2], 'budget', ARGV[3]) end
return 1
