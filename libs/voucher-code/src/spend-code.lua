--! keys: 1
-- Spends a checkout code's nonce, once. KEYS[1] holds the voucher's current nonce; after a
-- scan spent it, it holds "x:" .. nonce .. ":" .. scan for as long as the code could still be
-- presented, so only that scan can give it back (give-back-code.lua) and a replay is recognised
-- whichever scan spent it (a bare "x:" .. nonce, as written before scans had ids, too).
-- ARGV[1] the nonce of the scanned code, ARGV[2] this scan's id.
-- Returns "SPENT" (this scan spent it), "REPLAYED" (spent before) or "SUPERSEDED" (a newer
-- code replaced it, or it is unknown: Redis lost it or it was never issued).
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('SET', KEYS[1], 'x:' .. ARGV[1] .. ':' .. ARGV[2], 'KEEPTTL')
  return 'SPENT'
end
local spent = 'x:' .. ARGV[1]
if current and (current == spent or string.sub(current, 1, #spent + 1) == spent .. ':') then
  return 'REPLAYED'
end
return 'SUPERSEDED'
