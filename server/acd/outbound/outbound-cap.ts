import type { Redis } from '../../core/redis.js';
import { AppError } from '../../core/errors.js';
import { keys } from '../../live/keys.js';

export interface OutboundLimits {
  /** Outside calls one agent may have up at once; 0: no limit. */
  maxPerAgent: number;
  /** Outside calls the whole site may have up at once; 0: no limit. */
  maxTotal: number;
}

/** One outside call: the call (interaction) it belongs to, the agent it counts against, and which leg. */
export interface OutboundSlot {
  callId: string;
  agentId: number | null;
  /** 'dial' (click to dial), 'xfer' (a transfer to a number), 'callback'. */
  leg: string;
}

// Slots are released where calls end (call completion, a transfer leg gone, a callback's
// end). A release lost to a crash must not block dialling for good, so the counting script
// also drops slots whose call is no longer live (in neither active set, after a grace long
// enough for the call to be saved) and any slot older than the longest call we allow.
const ACQUIRE = `
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local member, agent, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local grace, maxAge = tonumber(ARGV[4]), tonumber(ARGV[5])
local perAgent, total = tonumber(ARGV[6]), tonumber(ARGV[7])
local n, mine = 0, 0
for i = 1, #all, 2 do
  local m, at = all[i], tonumber(all[i + 1])
  local call, who = string.match(m, '^([^|]*)|([^|]*)|')
  local gone = at < now - grace and redis.call('SISMEMBER', KEYS[2], call) == 0 and redis.call('SISMEMBER', KEYS[3], call) == 0
  if at < now - maxAge or gone then
    redis.call('ZREM', KEYS[1], m)
  elseif m == member then
    return {1, 0}
  else
    n = n + 1
    if agent ~= '' and who == agent then mine = mine + 1 end
  end
end
if agent ~= '' and perAgent > 0 and mine >= perAgent then return {0, 1, mine} end
if total > 0 and n >= total then return {0, 2, n} end
redis.call('ZADD', KEYS[1], now, member)
return {1, 0}
`;

/** A call saved within this long after its slot was taken is not taken for a lost one. */
const GRACE_MS = 60_000;

/**
 * The cap on concurrent outside calls (toll fraud: a stolen agent session or a runaway
 * script cannot fill the trunk), counted in Redis so every server instance sees the same
 * numbers. Taken before anything is dialled; refused with 429 outbound-limit.
 */
export class OutboundCap {
  constructor(private readonly d: { redis: Redis; limits: OutboundLimits; maxCallSec: number }) {}

  async acquire(slot: OutboundSlot, nowMs = Date.now()): Promise<void> {
    const { maxPerAgent, maxTotal } = this.d.limits;
    const res = (await this.d.redis.eval(ACQUIRE, 3, keys.outboundSlots(), keys.callsActive(), keys.callbacksActive(),
      memberOf(slot), slot.agentId === null ? '' : String(slot.agentId), nowMs, GRACE_MS, this.d.maxCallSec * 1000, maxPerAgent, maxTotal)) as number[];
    if (res[0] === 1) return;
    if (res[1] === 1) {
      throw new AppError(429, 'outbound-limit', `this agent already has ${res[2]} outside call(s) up, the most allowed at once (outbound.maxPerAgent ${maxPerAgent}); hang up one first`, { limit: 'agent', max: maxPerAgent });
    }
    throw new AppError(429, 'outbound-limit', `${res[2]} outside calls are up, the most the site allows at once (outbound.maxTotal ${maxTotal}); try again when one ends`, { limit: 'total', max: maxTotal });
  }

  /** Every slot of the call, or only its `leg`. Safe to call for a call that holds none. */
  async release(callId: string, leg?: string): Promise<void> {
    const prefix = `${callId}|`;
    const mine = (await this.d.redis.zrange(keys.outboundSlots(), '0', '-1')).filter((m) => m.startsWith(prefix) && (leg === undefined || m.endsWith(`|${leg}`)));
    if (mine.length) await this.d.redis.zrem(keys.outboundSlots(), ...mine);
  }

  /** Outside calls counted now, in all and for one agent (pages, tests). */
  async count(agentId?: number): Promise<{ total: number; agent: number }> {
    const all = await this.d.redis.zrange(keys.outboundSlots(), '0', '-1');
    return { total: all.length, agent: agentId === undefined ? 0 : all.filter((m) => m.split('|')[1] === String(agentId)).length };
  }
}

const memberOf = (s: OutboundSlot) => `${s.callId}|${s.agentId ?? ''}|${s.leg}`;
