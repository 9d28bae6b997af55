--! keys: 1
-- Fixed-window rate limit, atomic so concurrent requests cannot both slip under the limit.
-- KEYS[1]  the counter of one subject (a phone number, an address) for one window
-- ARGV[1]  the most hits allowed in the window
-- ARGV[2]  the window in milliseconds
-- Returns { allowed (1|0), hits so far, milliseconds until the window resets }.
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  -- A counter left without an expiry (written by hand, say) would block forever: give it one.
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
if hits > tonumber(ARGV[1]) then
  return { 0, hits, ttl }
end
return { 1, hits, ttl }
