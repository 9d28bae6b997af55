--! keys: 1
-- Spends a checkout code's nonce, once. KEYS[1] holds the voucher's current nonce;
-- after the first scan it holds "x:" .. nonce for as long as the code could still be presented.
-- ARGV[1] the nonce of the scanned code.
-- Returns "SPENT" (this scan spent it), "REPLAYED" (spent before) or "SUPERSEDED" (a newer
-- code replaced it, or it is unknown: Redis lost it or it was never issued).
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('SET', KEYS[1], 'x:' .. ARGV[1], 'KEEPTTL')
  return 'SPENT'
end
if current == 'x:' .. ARGV[1] then
  return 'REPLAYED'
end
return 'SUPERSEDED'
