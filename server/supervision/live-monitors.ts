import type { Redis } from '../core/redis.js';
import { keys } from '../live/keys.js';
import { moveState, toHash } from '../live/hash-state.js';
import type { MonitorSession, MonitorState } from './schemas.js';

const DAY_SEC = 86400;

/** Monitoring sessions in Redis, shared by every instance; a session's state moves only by compare-and-set. */
export class LiveMonitors {
  constructor(private readonly redis: Redis) {}

  async nextId(): Promise<number> {
    return this.redis.incr(keys.monitorSeq());
  }

  async save(s: MonitorSession): Promise<void> {
    await this.redis.multi().hset(keys.monitor(s.id), toHash(s)).expire(keys.monitor(s.id), DAY_SEC).sadd(keys.monitorsActive(), String(s.id)).exec();
  }

  async get(id: number): Promise<MonitorSession | undefined> {
    const h = await this.redis.hgetall(keys.monitor(id));
    if (!h.id) return undefined;
    return {
      ...(h as unknown as MonitorSession),
      id: Number(h.id),
      agentId: Number(h.agentId),
      snoopSeq: Number(h.snoopSeq ?? 0),
      actorId: h.actorId ? Number(h.actorId) : null,
    };
  }

  async patch(id: number, fields: Partial<MonitorSession>): Promise<void> {
    const flat = toHash(fields);
    if (Object.keys(flat).length) await this.redis.hset(keys.monitor(id), flat);
  }

  async clear(id: number, fields: Array<keyof MonitorSession>): Promise<void> {
    await this.redis.hdel(keys.monitor(id), ...fields);
  }

  async move(id: number, from: MonitorState, to: MonitorState): Promise<boolean> {
    return moveState(this.redis, keys.monitor(id), from, to);
  }

  async activeIds(): Promise<number[]> {
    return (await this.redis.smembers(keys.monitorsActive())).map(Number);
  }

  async link(channelId: string, id: number): Promise<void> {
    await this.redis.multi().sadd(keys.monitorChannel(channelId), String(id)).expire(keys.monitorChannel(channelId), DAY_SEC).exec();
  }

  async unlink(channelId: string, id: number): Promise<void> {
    await this.redis.srem(keys.monitorChannel(channelId), String(id));
  }

  async forChannel(channelId: string): Promise<number[]> {
    return (await this.redis.smembers(keys.monitorChannel(channelId))).map(Number);
  }

  /** The session is over: out of the active set, its hash kept an hour for a late reader. */
  async finish(s: MonitorSession): Promise<void> {
    const m = this.redis.multi().srem(keys.monitorsActive(), String(s.id)).expire(keys.monitor(s.id), 3600);
    for (const ch of [s.supervisorChannel, s.agentChannel, s.snoop]) if (ch) m.srem(keys.monitorChannel(ch), String(s.id));
    await m.exec();
  }
}
