import type { Redis } from '../core/redis.js';
import { keys } from '../live/keys.js';

/**
 * Which web sessions belong to which user, so "log out everywhere" (and a password
 * change or a deactivation) can end all of them. The session itself stays where the
 * web's session store keeps it (keys.session); this is only the index by user.
 * The index's TTL follows the absolute session lifetime, so ids of sessions that
 * expired by themselves do not pile up for long.
 */
export class UserSessions {
  constructor(private readonly d: { redis: Redis; absoluteTimeoutSec: number }) {}

  async track(userId: number, sid: string): Promise<void> {
    const key = keys.userSessions(userId);
    await this.d.redis.multi().sadd(key, sid).expire(key, this.d.absoluteTimeoutSec).exec();
  }

  /** Ends every session of the user; returns how many were still alive. */
  async endAll(userId: number): Promise<number> {
    const key = keys.userSessions(userId);
    const sids = await this.d.redis.smembers(key);
    const alive = sids.length ? await this.d.redis.del(...sids.map((sid) => keys.session(sid))) : 0;
    await this.d.redis.del(key);
    return alive;
  }

  /**
   * Whether the session is still one of the user's. Checked on every request: a request
   * in flight while "log out everywhere" runs saves its session again at its end (rolling
   * sessions), and this is what keeps such a resurrected session signed out.
   */
  async isLive(userId: number, sid: string): Promise<boolean> {
    return (await this.d.redis.sismember(keys.userSessions(userId), sid)) === 1;
  }

  async forget(userId: number, sid: string): Promise<void> {
    await this.d.redis.srem(keys.userSessions(userId), sid);
  }
}
