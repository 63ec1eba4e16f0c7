import type { Session } from 'fastify';
import type { Redis } from '../../core/redis.js';
import { keys } from '../../live/keys.js';

type Callback = (err?: unknown) => void;
type GetCallback = (err: unknown, session?: Session | null) => void;

/**
 * Sessions live in Redis so every server instance sees every sign-in and a
 * restart signs nobody out. Each write resets the TTL, so with rolling sessions
 * `ttlSeconds` is an idle timeout; Redis drops abandoned sessions by itself.
 */
export class RedisSessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  set(sid: string, session: Session, callback: Callback): void {
    this.redis.set(keys.session(sid), JSON.stringify(session), 'EX', this.ttlSeconds).then(() => callback(), callback);
  }

  get(sid: string, callback: GetCallback): void {
    this.redis.get(keys.session(sid)).then((raw) => {
      let session: Session | null = null;
      try {
        session = raw === null ? null : (JSON.parse(raw) as Session);
      } catch {
        // A value we cannot read is treated as no session: the user signs in again.
      }
      callback(null, session);
    }, callback);
  }

  destroy(sid: string, callback: Callback): void {
    this.redis.del(keys.session(sid)).then(() => callback(), callback);
  }
}
