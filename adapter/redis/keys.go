package redis

import (
	"strconv"

	goredis "github.com/redis/go-redis/v9"
)

// Every key is built here and nowhere else. All keys share the hash tag
// {prefix}: Accept's script touches the index, the sequence, the record and
// the queue in one atomic step, which Redis Cluster allows only within one
// slot. The record key is derived inside the script from the number it
// assigns (it cannot be declared in KEYS beforehand); the shared tag keeps
// it in the declared slot.

func (s *Store) tag() string { return "{" + s.cfg.Prefix + "}" }

// keyRequestPrefix is the record key without the number; the script
// appends the number it assigns.
func (s *Store) keyRequestPrefix() string { return s.tag() + ":req:" }

// keyRequest is the record of request number num (JSON of adapter.Request).
func (s *Store) keyRequest(num string) string { return s.keyRequestPrefix() + num }

// keyByMessageID is the messageId → number index.
func (s *Store) keyByMessageID(id string) string { return s.tag() + ":msgid:" + id }

// keyQueue is the work stream (entries: number=<request number>).
func (s *Store) keyQueue(name string) string { return s.tag() + ":queue:" + name }

// keySeq is the request-number sequence of a year.
func (s *Store) keySeq(year int) string { return s.tag() + ":seq:" + strconv.Itoa(year) }

// keyHealth is the key Ping writes.
func (s *Store) keyHealth() string { return s.tag() + ":health" }

// recordPrefix is how json.Marshal starts a Request whose Number is empty
// (Number is the struct's first field); acceptScript splices the assigned
// number in its place, so the stored JSON carries it.
const recordPrefix = `{"number":""`

// acceptScript stores a new request atomically or returns the existing one.
// The #!lua shebang (no flags) makes Redis 7 refuse the whole script before
// it runs when writes are not allowed (OOM, MISCONF, read-only replica,
// min-replicas-to-write), so it never stops half way.
//
// KEYS: 1 messageId index, 2 year sequence, 3 queue stream.
// ARGV: 1 record key prefix, 2 record JSON beginning with recordPrefix,
// 3 year.
// Returns {created (0|1), number, record JSON}.
//
// The number format must stay equal to adapter.FormatNumber; the contract
// suite checks every assigned number against it.
var acceptScript = goredis.NewScript(`#!lua
local num = redis.call('GET', KEYS[1])
if num then
  local rec = redis.call('GET', ARGV[1] .. num)
  if not rec then
    return redis.error_reply('index without record for ' .. num)
  end
  return {0, num, rec}
end
local seq = redis.call('INCR', KEYS[2])
num = string.format('ISB-%04d-%07d', tonumber(ARGV[3]), seq)
local rec = '{"number":"' .. num .. '"' .. string.sub(ARGV[2], 13)
redis.call('SET', ARGV[1] .. num, rec)
redis.call('SET', KEYS[1], num)
redis.call('XADD', KEYS[3], '*', 'number', num)
return {1, num, rec}
`)

// byMessageIDScript reads the index and the record in one round trip.
// KEYS: 1 messageId index. ARGV: 1 record key prefix.
var byMessageIDScript = goredis.NewScript(`#!lua flags=no-writes
local num = redis.call('GET', KEYS[1])
if not num then
  return false
end
return redis.call('GET', ARGV[1] .. num)
`)
