--! keys: 1
-- Gives back a checkout code's nonce that this scan spent, so the cashier can scan the same code
-- again: when the redemption could not be saved (the database failed), or was refused for the
-- order or the till rather than the code (below threshold, out of scope, order number taken...).
-- Only the exact value this scan's spend wrote is given back: a nonce another scan spent (after
-- an earlier give-back), a newer code, or an expired key is left alone, so a give-back never
-- revives a code that another scan holds or redeemed with.
-- KEYS[1] the voucher's nonce key; ARGV[1] the nonce, ARGV[2] the scan's id.
-- Returns 1 when given back, else 0.
if redis.call('GET', KEYS[1]) == 'x:' .. ARGV[1] .. ':' .. ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
  return 1
end
return 0
