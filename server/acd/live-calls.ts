import type { Redis } from '../core/redis.js';
import { keys } from '../live/keys.js';
import type { CallState } from './call-state.js';

export interface LiveCall {
  id: string;
  state: CallState;
  callerChannel: string;
  callerChannelName: string;
  callerNumber: string;
  did: string;
  queue: string;
  enteredAt: string;
  queuedAt?: string;
  score?: number;
  agentId?: number;
  agentChannel?: string;
  answeredAt?: string;
  recordingPath?: string;
  offers?: number;
}

// Picks the first waiting call and reserves the first candidate agent still ready, in one
// step: two server instances can never hand one agent two calls or one call two agents.
const RESERVE = `
local call = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if not call then return nil end
for i = 1, #ARGV - 1 do
  local akey = ARGV[i]
  if redis.call('HGET', akey, 'state') == 'ready' then
    redis.call('HSET', akey, 'state', 'reserved', 'since', ARGV[#ARGV], 'interactionId', call, 'pauseReason', '')
    redis.call('SREM', KEYS[2], string.match(akey, '(%d+)$'))
    redis.call('ZREM', KEYS[1], call)
    return {call, akey}
  end
end
return nil`;

export class LiveCalls {
  constructor(private readonly redis: Redis) {}

  async save(call: LiveCall): Promise<void> {
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(call)) if (v !== undefined) flat[k] = String(v);
    await this.redis.multi().hset(keys.call(call.id), flat).sadd(keys.callsActive(), call.id).set(keys.channelCall(call.callerChannel), call.id).exec();
  }

  async get(id: string): Promise<LiveCall | undefined> {
    const h = await this.redis.hgetall(keys.call(id));
    if (!h.id) return undefined;
    return {
      ...(h as unknown as LiveCall),
      score: h.score ? Number(h.score) : undefined,
      agentId: h.agentId ? Number(h.agentId) : undefined,
      offers: h.offers ? Number(h.offers) : undefined,
    };
  }

  async patch(id: string, fields: Partial<LiveCall>): Promise<void> {
    const flat: string[] = [];
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) flat.push(k, String(v));
    if (flat.length) await this.redis.hset(keys.call(id), ...flat);
  }

  async clear(id: string, fields: Array<keyof LiveCall>): Promise<void> {
    await this.redis.hdel(keys.call(id), ...fields);
  }

  /** Compare-and-set of the call state; false when another handler moved it first. */
  async move(id: string, from: CallState, to: CallState): Promise<boolean> {
    const ok = await this.redis.eval(
      `if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
       redis.call('HSET', KEYS[1], 'state', ARGV[2]) return 1`,
      1, keys.call(id), from, to,
    );
    return ok === 1;
  }

  async callForChannel(channelId: string): Promise<string | null> {
    return this.redis.get(keys.channelCall(channelId));
  }

  async linkChannel(channelId: string, callId: string): Promise<void> {
    await this.redis.set(keys.channelCall(channelId), callId, 'EX', 86400);
  }

  async enqueue(queue: string, callId: string, score: number): Promise<void> {
    await this.redis.zadd(keys.queueWaiting(queue), score, callId);
  }

  async dequeue(queue: string, callId: string): Promise<void> {
    await this.redis.zrem(keys.queueWaiting(queue), callId);
  }

  async waitingQueues(queues: string[]): Promise<string[]> {
    const counts = await Promise.all(queues.map((q) => this.redis.zcard(keys.queueWaiting(q))));
    return queues.filter((_, i) => (counts[i] ?? 0) > 0);
  }

  async reserve(queue: string, candidateAgentIds: number[]): Promise<{ callId: string; agentId: number } | undefined> {
    if (!candidateAgentIds.length) return undefined;
    const res = (await this.redis.eval(RESERVE, 2, keys.queueWaiting(queue), keys.agentsReady(), ...candidateAgentIds.map((id) => keys.agent(id)), new Date().toISOString())) as [string, string] | null;
    if (!res) return undefined;
    return { callId: res[0], agentId: Number(res[1].split(':').pop()) };
  }

  async activeIds(): Promise<string[]> {
    return this.redis.smembers(keys.callsActive());
  }

  async finish(call: LiveCall): Promise<void> {
    const m = this.redis.multi().srem(keys.callsActive(), call.id).del(keys.channelCall(call.callerChannel)).expire(keys.call(call.id), 3600);
    if (call.agentChannel) m.del(keys.channelCall(call.agentChannel));
    await m.exec();
  }
}
