import type { Redis } from 'ioredis';
import { keys } from '../live/index.js';

/**
 * Counts failed provisioning fetches per address in Redis (shared by every server instance),
 * so guessing secrets from one address stops at `perMinute` tries; the counter expires a
 * minute after the first failure. A phone that gets its file never counts.
 */
export class ProvisioningGuard {
  constructor(private readonly d: { redis: Redis; perMinute: number }) {}

  async blocked(ip: string): Promise<boolean> {
    const n = Number(await this.d.redis.get(keys.provisioningFailures(ip)));
    return n >= this.d.perMinute;
  }

  async failed(ip: string): Promise<void> {
    const key = keys.provisioningFailures(ip);
    const n = await this.d.redis.incr(key);
    if (n === 1) await this.d.redis.expire(key, 60);
  }
}
