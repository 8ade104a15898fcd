package redisstore

import "github.com/redis/go-redis/v9"

// writeScript appends (or, in "replace" mode, swaps in) the events given
// after the first three arguments, then ranks the conversation as the most
// recently written and resets its time to live. An append to a key that is
// not a list fails with a reply starting "NOTLIST" so that the caller can
// convert a Rasa record first.
//
// KEYS: events list, ranking sorted set, sequence counter.
// ARGV: mode, time to live in milliseconds (0: none), conversation id,
// events...
var writeScript = redis.NewScript(`
local kind = redis.call('TYPE', KEYS[1]).ok
if ARGV[1] == 'replace' then
  redis.call('DEL', KEYS[1])
elseif kind ~= 'list' and kind ~= 'none' then
  return redis.error_reply('NOTLIST ' .. kind)
end
local i = 4
while i <= #ARGV do
  local last = math.min(i + 499, #ARGV)
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, last))
  i = last + 1
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[3])
  if tonumber(ARGV[2]) > 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
  end
else
  redis.call('ZREM', KEYS[2], ARGV[3])
end
return 1
`)
