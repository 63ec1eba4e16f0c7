import type { Redis } from '../core/redis.js';
import { keys } from '../live/keys.js';
import { moveState, toHash } from '../live/hash-state.js';
import type { CallState } from './call-state.js';

export interface LiveCall {
  id: string;
  state: CallState;
  callerChannel: string;
  callerChannelName: string;
  callerNumber: string;
  callerName?: string;
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
  /** Call attributes (JSON) from the IVR or CRM: language, level, vip, topic, ... */
  attrs?: string;
  priority?: number;
  minLevel?: number;
  /** Overflow stages already applied, as a comma-separated list of rule indexes. */
  fired?: string;
  lastAnnouncedAt?: string;
  announcePlayback?: string;
  /** Other queues the call also waits in after an also_queue overflow, comma-separated. */
  alsoIn?: string;
  /** Set when the call was handed to the dialplan: voicemail, extension, agent. */
  leftTo?: string;
  /** The IVR path so far (JSON PathEntry[]), kept step by step while the caller walks it. */
  ivrPath?: string;
  /** The DID's recording-consent announcement: announced, declined (opt-out key) or unavailable. */
  consent?: string;
  /** The flow the caller is walking now (ivr state): a restarted server starts it again. */
  ivrFlow?: string;
  /** 'outbound' for click to dial; absent for calls that came in. */
  direction?: string;
  /** Click to dial: where the number is dialled once the agent answers (JSON {endpoint}). */
  dialTo?: string;
  /** When the current hold began (held, consulting); its length joins holdMs at resume. */
  heldAt?: string;
  /** Hold time so far, ms, summed over every hold. */
  holdMs?: number;
  /** Agents who handled the call, in order, comma-separated (a transfer adds one). */
  handledBy?: string;
  /** The transfer or conference target's leg while it is ours to watch (xfer-<n>-<id>). */
  xferChannel?: string;
  /** The target (JSON TransferTarget) and how the transfer was asked for. */
  xferTo?: string;
  xferKind?: string;
  xferBy?: string;
  /** The target agent, reserved for this transfer while its phone rings. */
  xferAgentId?: number;
  xferAnsweredAt?: string;
  /** Transfer legs started so far (their channel ids carry the number). */
  xfers?: number;
  /** The phone that sent a REFER waits for the outcome (transfer_progress on this channel). */
  referChannel?: string;
  /** An attended REFER: the phone's own consult leg, hung up once the party it reached joins the call. */
  replacesChannel?: string;
  recordingPaused?: string;
}

export class LiveCalls {
  constructor(private readonly redis: Redis) {}

  async save(call: LiveCall): Promise<void> {
    await this.redis.multi().hset(keys.call(call.id), toHash(call)).sadd(keys.callsActive(), call.id).set(keys.channelCall(call.callerChannel), call.id).exec();
  }

  async get(id: string): Promise<LiveCall | undefined> {
    const h = await this.redis.hgetall(keys.call(id));
    if (!h.id) return undefined;
    return {
      ...(h as unknown as LiveCall),
      score: h.score ? Number(h.score) : undefined,
      agentId: h.agentId ? Number(h.agentId) : undefined,
      offers: h.offers ? Number(h.offers) : undefined,
      priority: h.priority ? Number(h.priority) : undefined,
      minLevel: h.minLevel ? Number(h.minLevel) : undefined,
      holdMs: h.holdMs ? Number(h.holdMs) : undefined,
      xferAgentId: h.xferAgentId ? Number(h.xferAgentId) : undefined,
      xfers: h.xfers ? Number(h.xfers) : undefined,
    };
  }

  async patch(id: string, fields: Partial<LiveCall>): Promise<void> {
    const flat = toHash(fields);
    if (Object.keys(flat).length) await this.redis.hset(keys.call(id), flat);
  }

  async clear(id: string, fields: Array<keyof LiveCall>): Promise<void> {
    await this.redis.hdel(keys.call(id), ...fields);
  }

  /** Compare-and-set of the call state; false when another handler moved it first. */
  async move(id: string, from: CallState, to: CallState): Promise<boolean> {
    return moveState(this.redis, keys.call(id), from, to);
  }

  async callForChannel(channelId: string): Promise<string | null> {
    return this.redis.get(keys.channelCall(channelId));
  }

  async linkChannel(channelId: string, callId: string): Promise<void> {
    await this.redis.set(keys.channelCall(channelId), callId, 'EX', 86400);
  }

  async activeIds(): Promise<string[]> {
    return this.redis.smembers(keys.callsActive());
  }

  async finish(call: LiveCall): Promise<void> {
    const m = this.redis.multi().srem(keys.callsActive(), call.id).del(keys.channelCall(call.callerChannel)).expire(keys.call(call.id), 3600);
    if (call.agentChannel) m.del(keys.channelCall(call.agentChannel));
    if (call.xferChannel) m.del(keys.channelCall(call.xferChannel));
    await m.exec();
  }
}
