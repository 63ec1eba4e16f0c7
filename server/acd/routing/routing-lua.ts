// The Lua behind RoutingStore. Every decision (which call, which agent, is the agent still
// ready) and every write it implies runs inside ONE script: Redis runs a script alone, so
// two server instances picking at the same moment are serialised and can never hand one
// agent two calls or one call two agents. Nothing is decided in TypeScript between reads.
//
// Keys: fixed keys come in KEYS, built by live/keys.ts. Ids found inside sorted sets
// (call ids, agent ids) become keys by appending them to prefixes also built there and
// passed in ARGV. That breaks the "declare every key" rule of Redis Cluster on purpose:
// we run one Redis master (Sentinel, ARCHITECTURE.md), where it is safe, and a pick that
// must first read a set to know which agent to check cannot declare that agent upfront.
//
// Redis turns a Lua nil into false inside scripts and a Lua number into an integer in
// replies, so scores are returned as the strings ZRANGE gave us, never as numbers.

/** ARGV[1..4] of every script that uses HELPERS: agent, agent record and call key prefixes, now. */
const HEADER = `
local AGENT_PREFIX, AGENT_REC_PREFIX, CALL_PREFIX, NOW = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
`;

const HELPERS = `
-- How many agents of one ready set a pick may look at: agents whose phone is busy stay in
-- their sets (it passes), so a bound keeps one pick's cost fixed however many there are.
local AGENT_SCAN = 32

local function clampLevel(raw)
  local n = tonumber(raw) or 1
  if n < 1 then return 1 elseif n > 5 then return 5 end
  return math.floor(n)
end

-- Takes an agent out of every ready set its record lists, then forgets the record.
local function unready(agentId)
  local recKey = AGENT_REC_PREFIX .. agentId
  local rec = redis.call('HGETALL', recKey)
  for i = 1, #rec, 2 do
    if string.sub(rec[i], 1, 2) == 'q:' then
      redis.call('ZREM', string.match(rec[i + 1], '^%d|(.*)$'), agentId)
    end
  end
  redis.call('DEL', recKey)
end

-- 'ok': may be offered now. 'gone': the agent hash left ready without routing being told
-- (a crash between two writes, a forced logout), so the entry is stale and is cleaned up.
-- 'busy': ready, but the desk phone is unregistered or not idle (offers go only to a
-- registered phone in NOT_INUSE or UNKNOWN); the agent stays in its sets, since that passes by itself.
local function verdict(agentId)
  if redis.call('HGET', AGENT_PREFIX .. agentId, 'state') ~= 'ready' then return 'gone' end
  local device = redis.call('HGET', AGENT_REC_PREFIX .. agentId, 'device')
  if device then
    local d = redis.call('HMGET', device, 'registered', 'deviceState')
    local state = d[2] or 'UNKNOWN'
    if d[1] ~= '1' or (state ~= 'NOT_INUSE' and state ~= 'UNKNOWN') then return 'busy' end
  end
  return 'ok'
end

-- The first offerable agent of one ready set (lowest score) and its score, or nil.
-- Reads in growing batches (1, 4, 16, ...): a ZRANGE costs about half a microsecond per
-- entry it returns (scores are formatted as text), and the head is almost always the
-- answer. 'busy' entries stay and are stepped over; 'gone' ones are removed, so the next
-- batch starts after the busy ones only.
local function headOf(readyKey)
  local skipped, looked, batch = 0, 0, 1
  while batch > 0 do
    local entries = redis.call('ZRANGE', readyKey, skipped, skipped + batch - 1, 'WITHSCORES')
    if #entries == 0 then return nil end
    for i = 1, #entries, 2 do
      looked = looked + 1
      local v = verdict(entries[i])
      if v == 'ok' then return entries[i], tonumber(entries[i + 1]) end
      if v == 'busy' then
        skipped = skipped + 1
      else
        redis.call('ZREM', readyKey, entries[i])
        unready(entries[i])
      end
    end
    batch = math.min(batch * 4, AGENT_SCAN - looked)
  end
  return nil
end

-- The reservation. The agent hash gets the same fields the old RESERVE wrote and the
-- agents room reads; 'since' doubles as the reservation's age for a sweeper, since a
-- hash field cannot carry its own TTL before Redis 7.4. The call leaves every waiting
-- set but keeps its record (score, queues, level) so a ring-no-answer can requeue it.
local function reserve(callId, agentId, agentsReadyKey, waitingKey, seqKey, lastOfferKey)
  redis.call('HSET', AGENT_PREFIX .. agentId, 'state', 'reserved', 'since', NOW, 'interactionId', callId, 'pauseReason', '')
  redis.call('SREM', agentsReadyKey, agentId)
  unready(agentId)
  local callKey = CALL_PREFIX .. callId
  local rec = redis.call('HGETALL', callKey)
  for i = 1, #rec, 2 do
    if string.sub(rec[i], 1, 2) == 'q:' then redis.call('ZREM', rec[i + 1], callId) end
  end
  -- Also from this queue directly: a call enqueued before this engine has no record.
  redis.call('ZREM', waitingKey, callId)
  if #rec > 0 then redis.call('HSET', callKey, 'offeredTo', agentId) end
  local seq = redis.call('INCR', seqKey)
  redis.call('HSET', lastOfferKey, agentId, seq)
end
`;

/**
 * KEYS: agents-ready set, waiting, offer-seq, last-offer, ready sets of levels 1..5.
 * ARGV: header, strategy, call scan, queue name. Returns {callId, agentId, score, queue}.
 */
export const PICK_FOR_QUEUE = HEADER + HELPERS + `
local strategy, CALL_SCAN, queue = ARGV[5], tonumber(ARGV[6]), ARGV[7]

-- Per level set, at most once per pick whatever the calls scanned ask for: peek() is the
-- raw head (one cheap ZRANGE), head() the first agent that passes verdict() (false if
-- none). Scores are compared on peeks and only the winner is checked, so the usual pick
-- checks one agent, not one per level.
local heads = {}
local function peek(level)
  if heads[level] == nil then
    local e = redis.call('ZRANGE', KEYS[4 + level], 0, 0, 'WITHSCORES')
    heads[level] = e[1] and { id = e[1], score = tonumber(e[2]), checked = false } or false
  end
  return heads[level]
end

local function head(level)
  local h = peek(level)
  if h and not h.checked then
    if verdict(h.id) == 'ok' then
      h.checked = true
    else
      -- Rare: the head is busy or stale. headOf re-checks it (and cleans it if stale).
      local id, score = headOf(KEYS[4 + level])
      heads[level] = id and { id = id, score = score, checked = true } or false
    end
  end
  return heads[level]
end

-- best_skill: the highest level that has anyone free. Otherwise the lowest strategy
-- score over every level the call accepts (the encodings live in routing/strategy.ts).
local function bestAgent(minLevel)
  if strategy == 'best_skill' then
    for level = 5, minLevel, -1 do
      if head(level) then return head(level).id end
    end
    return false
  end
  -- Each round either confirms the lowest peek or replaces that level's peek by its
  -- checked head, so this ends after at most six rounds.
  while true do
    local best, bestLevel = false, nil
    for level = minLevel, 5 do
      local h = peek(level)
      if h and (not best or h.score < best.score) then best, bestLevel = h, level end
    end
    if not best then return false end
    if head(bestLevel) == best then return best.id end
  end
end

-- Not only the head: a head call still needing level 4 must not block a call behind it
-- that overflow widened to level 2. Once nobody is free at some level, no later call
-- asking that level or more needs a look.
local hopelessFrom = 6
local seen, batch = 0, 1
while batch > 0 do
  local calls = redis.call('ZRANGE', KEYS[2], seen, seen + batch - 1)
  if #calls == 0 then break end
  for i = 1, #calls do
    local callId = calls[i]
    local minLevel = clampLevel(redis.call('HGET', CALL_PREFIX .. callId, 'minLevel'))
    if minLevel < hopelessFrom then
      local agentId = bestAgent(minLevel)
      if agentId then
        local score = redis.call('ZSCORE', KEYS[2], callId)
        reserve(callId, agentId, KEYS[1], KEYS[2], KEYS[3], KEYS[4])
        return {callId, agentId, score, queue}
      end
      hopelessFrom = minLevel
      -- Nobody free even at level 1: no call of this queue can be served now.
      if minLevel == 1 then return false end
    end
  end
  seen = seen + #calls
  batch = math.min(batch * 4, CALL_SCAN - seen)
end
return false
`;

/**
 * KEYS: agents-ready set, agent hash, agent record, then per queue: waiting, offer-seq, last-offer.
 * ARGV: header, agentId, call scan, queue names. Returns {callId, agentId, score, queue}.
 */
export const PICK_FOR_AGENT = HEADER + HELPERS + `
local agentId, CALL_SCAN = ARGV[5], tonumber(ARGV[6])
local v = verdict(agentId)
if v ~= 'ok' then
  if v == 'gone' then unready(agentId) end
  return false
end

-- The oldest (lowest virtual time) call this agent may take across its queues. A queue
-- the agent is not ready in (no record entry) is skipped: its level there is unknown.
local best
for q = 7, #ARGV do
  local slot = 4 + (q - 7) * 3
  local entry = redis.call('HGET', AGENT_REC_PREFIX .. agentId, 'q:' .. ARGV[q])
  if entry then
    local level = tonumber(string.match(entry, '^(%d)|'))
    -- Batches of 1, 4, 16... as in headOf: the head call is usually the one.
    local seen, batch, done = 0, 1, false
    while batch > 0 and not done do
      local calls = redis.call('ZRANGE', KEYS[slot], seen, seen + batch - 1, 'WITHSCORES')
      if #calls == 0 then break end
      for i = 1, #calls, 2 do
        local score = tonumber(calls[i + 1])
        -- Sorted ascending: once no better than the best so far, nothing further can be.
        if best and score >= best.score then done = true break end
        if clampLevel(redis.call('HGET', CALL_PREFIX .. calls[i], 'minLevel')) <= level then
          best = { slot = slot, callId = calls[i], score = score, raw = calls[i + 1], queue = ARGV[q] }
          done = true
          break
        end
      end
      seen = seen + #calls / 2
      batch = math.min(batch * 4, CALL_SCAN - seen)
    end
  end
end
if not best then return false end
reserve(best.callId, agentId, KEYS[1], KEYS[best.slot], KEYS[best.slot + 1], KEYS[best.slot + 2])
return {best.callId, agentId, best.raw, best.queue}
`;

/**
 * KEYS: agent record, then one ready set per membership. ARGV: header, agentId, device key
 * or '', then (queue, level, score) per membership. Returns 1, or 0 if the agent is not ready.
 */
export const AGENT_READY = HEADER + HELPERS + `
local agentId, device = ARGV[5], ARGV[6]
-- Routing follows the agent hash, never leads it: the agents room moves the agent to
-- ready first. Refusing here keeps a late call from resurrecting an agent who left.
if redis.call('HGET', AGENT_PREFIX .. agentId, 'state') ~= 'ready' then return 0 end
-- Replace, not merge: the memberships given are the whole truth about this agent now.
unready(agentId)
for i = 2, #KEYS do
  local a = 7 + (i - 2) * 3
  redis.call('ZADD', KEYS[i], ARGV[a + 2], agentId)
  redis.call('HSET', KEYS[1], 'q:' .. ARGV[a], ARGV[a + 1] .. '|' .. KEYS[i])
end
if device ~= '' and #KEYS > 1 then redis.call('HSET', KEYS[1], 'device', device) end
return 1
`;

/** KEYS: agent record. ARGV: header, agentId. */
export const AGENT_NOT_READY = HEADER + HELPERS + `
unready(ARGV[5])
return 1
`;
