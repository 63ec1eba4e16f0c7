import type { Redis } from '../core/redis.js';
import { keys } from '../live/keys.js';

const HANDLE_TIMES_KEPT = 50;

/** Counters the routing reads: recent handle times per queue, calls per agent per day, missed offers. */
export class LiveStats {
  constructor(private readonly redis: Redis) {}

  async recordHandle(queue: string, seconds: number): Promise<void> {
    await this.redis.multi().lpush(keys.queueHandleTimes(queue), String(Math.round(seconds))).ltrim(keys.queueHandleTimes(queue), 0, HANDLE_TIMES_KEPT - 1).exec();
  }

  async handleTimes(queue: string): Promise<number[]> {
    return (await this.redis.lrange(keys.queueHandleTimes(queue), 0, -1)).map(Number);
  }

  async countCall(agentId: number, at = new Date()): Promise<void> {
    const key = keys.agentCallsOn(agentId, at.toISOString().slice(0, 10));
    await this.redis.multi().incr(key).expire(key, 2 * 86400).exec();
  }

  async callsToday(agentId: number, at = new Date()): Promise<number> {
    return Number((await this.redis.get(keys.agentCallsOn(agentId, at.toISOString().slice(0, 10)))) ?? 0);
  }

  /** One more offer the agent let ring out; returns how many in a row. */
  async miss(agentId: number): Promise<number> {
    return this.redis.incr(keys.agentMisses(agentId));
  }

  async clearMisses(agentId: number): Promise<void> {
    await this.redis.del(keys.agentMisses(agentId));
  }
}
