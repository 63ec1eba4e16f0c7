import type { Redis } from '../../core/redis.js';
import { keys } from '../../live/keys.js';
import { moveState, toHash } from '../../live/hash-state.js';
import type { CallbackState } from './callback-state.js';

/** A callback's live state in Redis, shared by every server instance. */
export interface LiveCallback {
  /** The interaction id of the call that asked for it. */
  id: string;
  state: CallbackState;
  queue: string;
  number: string;
  /** The number the customer called: shown to them when we call back, unless the queue says otherwise. */
  did: string;
  language: string;
  /** Place in the queue (virtual time ms), kept from the original call. */
  score: number;
  minLevel: number;
  attempts: number;
  offers: number;
  requestedAt: string;
  expiresAt: string;
  agentId?: number;
  agentChannel?: string;
  customerChannel?: string;
  customerChannelName?: string;
  answeredAt?: string;
  recordingPath?: string;
  lastResult?: string;
  /** The caller's answer to its number's consent announcement: a declined one is not recorded when called back. */
  consent?: string;
}

const NUMERIC: Array<keyof LiveCallback> = ['score', 'minLevel', 'attempts', 'offers', 'agentId'];

export class LiveCallbacks {
  constructor(private readonly redis: Redis) {}

  async save(cb: LiveCallback): Promise<void> {
    await this.redis.multi().hset(keys.callback(cb.id), toHash(cb)).sadd(keys.callbacksActive(), cb.id).exec();
  }

  async get(id: string): Promise<LiveCallback | undefined> {
    const h = await this.redis.hgetall(keys.callback(id));
    if (!h.id) return undefined;
    const cb: Record<string, unknown> = { ...h };
    for (const k of NUMERIC) if (h[k] !== undefined) cb[k] = Number(h[k]);
    return cb as unknown as LiveCallback;
  }

  async patch(id: string, fields: Partial<LiveCallback>): Promise<void> {
    const flat = toHash(fields);
    if (Object.keys(flat).length) await this.redis.hset(keys.callback(id), flat);
  }

  async clear(id: string, fields: Array<keyof LiveCallback>): Promise<void> {
    await this.redis.hdel(keys.callback(id), ...fields);
  }

  /** Compare-and-set of the state; false when another handler or instance moved it first. */
  async move(id: string, from: CallbackState, to: CallbackState): Promise<boolean> {
    return moveState(this.redis, keys.callback(id), from, to);
  }

  async activeIds(): Promise<string[]> {
    return this.redis.smembers(keys.callbacksActive());
  }

  async schedule(id: string, atMs: number): Promise<void> {
    await this.redis.zadd(keys.callbacksScheduled(), atMs, id);
  }

  async unschedule(id: string): Promise<void> {
    await this.redis.zrem(keys.callbacksScheduled(), id);
  }

  /** Scheduled callbacks whose time has come. */
  async due(nowMs: number): Promise<string[]> {
    return this.redis.zrangebyscore(keys.callbacksScheduled(), 0, nowMs);
  }

  async linkChannel(channelId: string, member: string): Promise<void> {
    await this.redis.set(keys.channelCall(channelId), member, 'EX', 86400);
  }

  async unlinkChannel(channelId: string): Promise<void> {
    await this.redis.del(keys.channelCall(channelId));
  }

  /** Finished: out of the active set; the hash stays an hour for late events. */
  async finish(id: string): Promise<void> {
    await this.redis.multi().srem(keys.callbacksActive(), id).zrem(keys.callbacksScheduled(), id).expire(keys.callback(id), 3600).exec();
  }
}
