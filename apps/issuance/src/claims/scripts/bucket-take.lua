--! keys: 3
-- The first half of a move between hot-stock buckets (stock-buckets.ts, ADMISSION.md): takes
-- stock of one round from a donor bucket, at most what it holds, with the budget those vouchers
-- are worth (so each bucket keeps budget for the stock it holds), or budget alone; returns what
-- it took. bucket-give.lua adds it to the bucket that ran dry. Only under the generation the
-- mover read: a bucket rebuilt since holds Postgres' counts, not the ones the mover saw. A
-- crash before the give loses what was taken from Redis only: the round under-sells until
-- the next rebuild from Postgres counts it again; nothing can be oversold.
--
-- KEYS[1] {cmp:<id>:b<k>}:loaded  KEYS[2] {cmp:<id>:b<k>}:meta  KEYS[3] {cmp:<id>:b<k>}:round:R
-- ARGV[1] generation  ARGV[2] stock wanted  ARGV[3] fen that go with each voucher taken (the face)
-- ARGV[4] fen of budget wanted besides
-- Returns { stock taken, fen taken }.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return { 0, 0 } end
local stock = tonumber(redis.call('HGET', KEYS[3], 'stock') or '0')
local budget = tonumber(redis.call('HGET', KEYS[2], 'budget') or '0')
local takeStock = math.max(0, math.min(tonumber(ARGV[2]), stock))
local takeFen = math.max(0, math.min(takeStock * tonumber(ARGV[3]) + tonumber(ARGV[4]), budget))
if takeStock > 0 then redis.call('HINCRBY', KEYS[3], 'stock', -takeStock) end
if takeFen > 0 then redis.call('HINCRBY', KEYS[2], 'budget', -takeFen) end
return { takeStock, takeFen }
