import type { Redis } from 'ioredis';

const key = (address: string) => `cc:sipguard:fails:${address}`;

/**
 * Failures per address in a sliding window, in Redis so every server instance sees the same
 * count. A member is the event's own identity, so an event heard by two instances counts once.
 */
export class FailureWindow {
  constructor(private readonly redis: Redis, private readonly windowMs: number) {}

  /** Adds one failure and returns how many the address has in the window now. */
  async add(address: string, eventId: string, at: number): Promise<number> {
    const k = key(address);
    const res = await this.redis.multi()
      .zadd(k, at, eventId)
      .zremrangebyscore(k, '-inf', at - this.windowMs)
      .zcard(k)
      .pexpire(k, this.windowMs)
      .exec();
    return Number(res?.[2]?.[1] ?? 0);
  }

  /** Forgets an address's failures (after a ban, or when an admin lifts one). */
  async clear(address: string): Promise<void> {
    await this.redis.del(key(address));
  }
}
