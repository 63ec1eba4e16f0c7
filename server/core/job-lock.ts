import { randomBytes } from 'node:crypto';
import type { Redis } from './redis.js';

import { RELEASE, RENEW } from './lease.js';

/**
 * A lock for one long job across server instances. Unlike a fixed-TTL lock it is renewed
 * while the job makes progress, so a run longer than the TTL is not joined halfway by a
 * second instance; a crashed holder frees it when the TTL runs out. Only the holder's
 * own token renews or releases it.
 */
export class JobLock {
  constructor(private readonly d: { redis: Redis; key: string; ttlMs: number }) {}

  /** Runs fn holding the lock; undefined without running it when another holder has it. */
  async run<T>(fn: (renew: () => Promise<void>) => Promise<T>): Promise<T | undefined> {
    const token = randomBytes(8).toString('hex');
    if (!(await this.d.redis.set(this.d.key, token, 'PX', this.d.ttlMs, 'NX'))) return undefined;
    const renew = async () => {
      if ((await this.d.redis.eval(RENEW, 1, this.d.key, token, this.d.ttlMs)) !== 1) throw new Error(`lock ${this.d.key} was lost`);
    };
    try {
      return await fn(renew);
    } finally {
      await this.d.redis.eval(RELEASE, 1, this.d.key, token).catch(() => undefined);
    }
  }
}
