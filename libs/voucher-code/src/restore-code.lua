--! keys: 1
-- Gives back a checkout code's nonce that a scan spent when its redemption could not be saved
-- (the database failed: not a refusal), so the cashier can scan the same code again. Only the
-- nonce this scan spent: a newer code, or one spent by another scan, is left alone.
-- KEYS[1] the voucher's nonce key; ARGV[1] the nonce. Returns 1 when given back, else 0.
if redis.call('GET', KEYS[1]) == 'x:' .. ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
  return 1
end
return 0
