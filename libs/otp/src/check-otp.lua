--! keys: 1
-- Checks a one-time code and counts the try in one step, so parallel guesses cannot share a
-- try and the limit of tries holds exactly.
-- KEYS[1]  otp:<audience>:{<phone>}, a hash: h = HMAC of the code, t = tries so far (expires with the code)
-- ARGV[1]  HMAC of the code offered
-- ARGV[2]  tries allowed
-- ARGV[3]  '0' to keep a matching code for one more try (a staff member who must still pick
--          a merchant), anything else to use it up
-- Returns { outcome, tries }: 1 match, 0 no match,
--   -1 no code (never sent, used, or expired), -2 too many tries (the code is burned).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { -1, 0 }
end
local tries = redis.call('HINCRBY', KEYS[1], 't', 1)
if tries > tonumber(ARGV[2]) then
  -- Burn the code but keep the key until it expires, so every later try is refused the same way.
  redis.call('HDEL', KEYS[1], 'h')
  return { -2, tries }
end
if redis.call('HGET', KEYS[1], 'h') == ARGV[1] then
  if ARGV[3] ~= '0' then
    redis.call('DEL', KEYS[1])
  end
  return { 1, tries }
end
return { 0, tries }
