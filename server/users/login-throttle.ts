import type { Redis } from '../core/redis.js';
import { keys } from '../live/keys.js';

export interface ThrottleSettings {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowSec: number;
  lockoutSec: number;
}

/** Why sign-in is refused before the password is even checked, and until when. */
export interface Lockout {
  subject: 'user' | 'address';
  retryAt: Date;
}

// Usernames compare case-insensitively in MariaDB, so the counter must too, or
// `Admin`, `ADMIN`, `admin` would each get their own allowance.
const userSubject = (username: string) => `user:${username.trim().toLowerCase()}`;
const addressSubject = (ip: string) => `addr:${ip}`;

/**
 * Failed sign-ins counted in Redis (shared by every instance), per username and per
 * client address. N failures within the window set a lock key whose TTL is the lockout:
 * Redis drops it by itself, so an account unlocks by time with nothing to clean up.
 * The counter is a fixed window started by the first failure (INCR, then EXPIRE once):
 * cheap, and an attacker gains at most one extra window's worth of tries at its edge.
 */
export class LoginThrottle {
  constructor(private readonly d: { redis: Redis; settings: ThrottleSettings }) {}

  /** The lock that applies to this attempt, if any: the username's first, then the address's. */
  async lockout(username: string, ip: string): Promise<Lockout | null> {
    for (const [subject, key] of [['user', userSubject(username)], ['address', addressSubject(ip)]] as const) {
      const ttl = await this.d.redis.pttl(keys.loginLock(key));
      if (ttl > 0) return { subject, retryAt: new Date(Date.now() + ttl) };
    }
    return null;
  }

  /** Counts a failure; returns the lockout it caused, if it reached a limit. */
  async failed(username: string, ip: string): Promise<Lockout | null> {
    const { maxFailuresPerUser, maxFailuresPerAddress } = this.d.settings;
    const byUser = await this.count(userSubject(username), maxFailuresPerUser);
    const byAddress = await this.count(addressSubject(ip), maxFailuresPerAddress);
    const retryAt = new Date(Date.now() + this.d.settings.lockoutSec * 1000);
    if (byUser) return { subject: 'user', retryAt };
    if (byAddress) return { subject: 'address', retryAt };
    return null;
  }

  /** A good sign-in forgives the username's earlier failures (not the address's: others may guess from it). */
  async succeeded(username: string): Promise<void> {
    await this.d.redis.del(keys.loginFailures(userSubject(username)));
  }

  /** An admin lifts a username's lock and its count at once. */
  async unlock(username: string): Promise<boolean> {
    const removed = await this.d.redis.del(keys.loginLock(userSubject(username)), keys.loginFailures(userSubject(username)));
    return removed > 0;
  }

  async isLocked(username: string): Promise<Date | null> {
    const ttl = await this.d.redis.pttl(keys.loginLock(userSubject(username)));
    return ttl > 0 ? new Date(Date.now() + ttl) : null;
  }

  private async count(subject: string, max: number): Promise<boolean> {
    const { windowSec, lockoutSec } = this.d.settings;
    const failuresKey = keys.loginFailures(subject);
    const n = await this.d.redis.incr(failuresKey);
    if (n === 1) await this.d.redis.expire(failuresKey, windowSec);
    if (n < max) return false;
    await this.d.redis.multi().set(keys.loginLock(subject), '1', 'EX', lockoutSec).del(failuresKey).exec();
    return true;
  }
}
