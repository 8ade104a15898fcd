// Package redisstore is a tracker store kept in Redis, configured as Rasa's
// (`type: redis` with key_prefix and record_exp).
//
// Each conversation is a Redis list at <prefix><conversation id>, one
// event JSON per element, oldest first; appends are RPUSHes done by a Lua
// script, so a batch lands in one piece and concurrent appends never
// interleave inside a batch. A sorted set at parley:conversations:<prefix>
// ranks conversations by their latest write, fed by a counter at
// parley:sequence:<prefix>. With record_exp, every write resets the
// conversation's time to live, as Rasa does.
//
// Rasa keeps a conversation as one JSON string, {"name": ..., "events":
// [...]}, at the same kind of key. This store reads such a key, and the
// first write to it turns it into a list, keeping its events byte for byte.
package redisstore
