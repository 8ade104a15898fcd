package lock

import "github.com/redis/go-redis/v9"

// The ticket scripts. A conversation's tickets are a sorted set (member:
// ticket number, score: expiry in Redis server milliseconds) and its
// ticket counter a plain key. Every script first drops expired tickets.
// The lowest live ticket number holds the lock.

// issueScript issues the next ticket and returns its number.
// KEYS: tickets, counter. ARGV: lifetime in milliseconds.
var issueScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local life = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local n = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], now + life, n)
redis.call('PEXPIRE', KEYS[1], 2 * life)
redis.call('PEXPIRE', KEYS[2], 2 * life)
return n
`)

// checkScript renews a ticket and returns 1 when it holds the lock, 0 when
// it waits, -1 when it expired.
// KEYS: tickets, counter. ARGV: ticket number, lifetime in milliseconds.
var checkScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local life = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return -1
end
redis.call('ZADD', KEYS[1], 'XX', now + life, ARGV[1])
redis.call('PEXPIRE', KEYS[1], 2 * life)
redis.call('PEXPIRE', KEYS[2], 2 * life)
local lowest = nil
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local n = tonumber(m)
  if lowest == nil or n < lowest then
    lowest = n
  end
end
if lowest == tonumber(ARGV[1]) then
  return 1
end
return 0
`)

// releaseScript gives a ticket up and tells the waiting processes.
// KEYS: tickets. ARGV: ticket number, release channel, conversation id.
var releaseScript = redis.NewScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`)
