--! keys: any
-- Loads a chunk of claims into the admission state's person records, for a rebuild from
-- Postgres (admission-loader.ts): what a pipeline of HSET and PEXPIREAT a claim did, in one
-- call for thousands of claims. A person with several claims appears once per claim; their
-- fields add up in the same hash.
--
-- KEYS[1] {cmp}:index     set of the state's round and person keys: each person's is added
-- KEYS[1 + i] {cmp}:person:P of the i-th claim
-- ARGV[1] the state's expiry (ms since the epoch, PEXPIREAT)
-- then per person key, in KEYS order: its index member (person:P), the number of fields n,
-- and n field-value pairs
-- Returns the number of claims loaded.
local expiresAt = ARGV[1]
local at = 2
for i = 2, #KEYS do
  redis.call('SADD', KEYS[1], ARGV[at])
  local n = tonumber(ARGV[at + 1])
  local fields = {}
  for j = 1, 2 * n do fields[j] = ARGV[at + 1 + j] end
  redis.call('HSET', KEYS[i], unpack(fields))
  redis.call('PEXPIREAT', KEYS[i], expiresAt)
  at = at + 2 + 2 * n
end
redis.call('PEXPIREAT', KEYS[1], expiresAt)
return #KEYS - 1
