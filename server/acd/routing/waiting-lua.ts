// The Lua that moves a call in and out of waiting sets. A call has one record
// (keys.routingCall) holding its single score, its minimum level and the waiting set of
// every queue it sits in (fields q:<queue>), so joining a second queue, leaving all of
// them, or coming back after a missed offer is one atomic step that cannot half-happen.
// While `offeredTo` is set the call is being offered: it keeps its record but sits in no
// waiting set, and a stage that fires meanwhile (also_queue) is only recorded.

/** Puts the score into every waiting set the record lists, unless the call is on offer. */
const SYNC = `
local function sync(callKey, callId, score)
  if redis.call('HEXISTS', callKey, 'offeredTo') == 1 then return end
  local rec = redis.call('HGETALL', callKey)
  for i = 1, #rec, 2 do
    if string.sub(rec[i], 1, 2) == 'q:' then redis.call('ZADD', rec[i + 1], score, callId) end
  end
end
`;

/** KEYS: call record, waiting. ARGV: callId, queue, score, minLevel, ttl seconds. */
export const ENQUEUE = SYNC + `
local callId, queue, score = ARGV[1], ARGV[2], ARGV[3]
redis.call('HSET', KEYS[1], 'score', score, 'minLevel', ARGV[4], 'q:' .. queue, KEYS[2])
-- A safety net only: records are deleted by remove(); the TTL bounds what a crashed
-- instance could leave behind.
redis.call('EXPIRE', KEYS[1], ARGV[5])
-- One call, one score: re-entering moves it in every queue it already sits in too.
sync(KEYS[1], callId, score)
return 1
`;

/** KEYS: call record, other waiting. ARGV: callId, other queue. 0 if the call is unknown. */
export const ALSO_QUEUE = `
local score = redis.call('HGET', KEYS[1], 'score')
if not score then return 0 end
redis.call('HSET', KEYS[1], 'q:' .. ARGV[2], KEYS[2])
-- The same score as everywhere else: overflow must not send the caller to the back.
if redis.call('HEXISTS', KEYS[1], 'offeredTo') == 0 then redis.call('ZADD', KEYS[2], score, ARGV[1]) end
return 1
`;

/**
 * KEYS: call record. ARGV: level. 0 if the call is unknown (HSET would resurrect it).
 * Only ever lowers: a widen stage and an admin lowering a queue's level may race, and
 * whichever lands last must not narrow what the other opened.
 */
export const SET_MIN_LEVEL = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local cur = tonumber(redis.call('HGET', KEYS[1], 'minLevel'))
if cur and cur <= tonumber(ARGV[1]) then return 1 end
redis.call('HSET', KEYS[1], 'minLevel', ARGV[1])
return 1
`;

/** KEYS: call record. ARGV: callId. Back into every queue with the score it had. */
export const REQUEUE = SYNC + `
local score = redis.call('HGET', KEYS[1], 'score')
if not score then return 0 end
redis.call('HDEL', KEYS[1], 'offeredTo')
sync(KEYS[1], ARGV[1], score)
return 1
`;

/** KEYS: call record. ARGV: callId. Out of every waiting set, record deleted; 0 if unknown. */
export const REMOVE = `
local rec = redis.call('HGETALL', KEYS[1])
for i = 1, #rec, 2 do
  if string.sub(rec[i], 1, 2) == 'q:' then redis.call('ZREM', rec[i + 1], ARGV[1]) end
end
redis.call('DEL', KEYS[1])
return #rec > 0 and 1 or 0
`;
