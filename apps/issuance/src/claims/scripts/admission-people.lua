--! keys: any
-- Loads a chunk of claims into the admission state's person records, for a rebuild from
-- Postgres (admission-loader.ts): what a pipeline of HSET and PEXPIREAT a claim did, in one
-- call for thousands of claims. A person with several claims appears once per claim; their
-- fields add up in the same hash.
--
-- KEYS[i] {cmp}:person:P of the i-th claim
-- ARGV[1] the state's expiry (ms since the epoch, PEXPIREAT)
-- then per key, in KEYS order: the number of fields n, and n field-value pairs
-- Returns the number of claims loaded.
local expiresAt = ARGV[1]
local at = 2
for i = 1, #KEYS do
  local n = tonumber(ARGV[at])
  local fields = {}
  for j = 1, 2 * n do fields[j] = ARGV[at + j] end
  redis.call('HSET', KEYS[i], unpack(fields))
  redis.call('PEXPIREAT', KEYS[i], expiresAt)
  at = at + 1 + 2 * n
end
return #KEYS
