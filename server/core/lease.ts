import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from './redis.js';
import type { Logger } from './logger.js';

// Take the lease when free, or when its holder is a dead process on this same host (a
// crash or SIGKILL would otherwise block the restarted server until the TTL runs out).
const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if (not cur) or cur == ARGV[1] or cur == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1
end
return cur`;

/** Extends a key's TTL only while it still holds the caller's token (also used by job-lock.ts). */
export const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1`;

/** Deletes a key only while it holds the caller's token. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

export interface LeaseHooks {
  acquired(): void;
  lost(holder: string): void;
  /** Called while another instance holds the lease, with its id. */
  standby(holder: string): void;
}

/**
 * One owner at a time across server instances (ARI allows one websocket per app name:
 * a second connection silently replaces the first). The owner renews every third of
 * the TTL; a standby retries at the same pace. When Redis itself is unreachable we keep
 * what we have: without Redis no other instance can route calls either.
 */
export class RedisLease {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private held = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: { redis: Redis; key: string; ttlMs: number; log: Logger }) {}

  start(hooks: LeaseHooks): void {
    const tick = () => void this.step(hooks).finally(() => {
      if (this.timer) this.timer = setTimeout(tick, Math.max(250, Math.floor(this.d.ttlMs / 3)));
    });
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held) await this.d.redis.eval(RELEASE, 1, this.d.key, this.owner).catch(() => undefined);
    this.held = false;
  }

  private async step(hooks: LeaseHooks): Promise<void> {
    try {
      if (this.held) {
        if ((await this.d.redis.eval(RENEW, 1, this.d.key, this.owner, this.d.ttlMs)) === 1) return;
        this.held = false;
        const holder = (await this.d.redis.get(this.d.key)) ?? 'nobody';
        this.d.log.error({ key: this.d.key, holder }, 'lease lost to another instance');
        hooks.lost(holder);
        return;
      }
      const res = await this.d.redis.eval(ACQUIRE, 1, this.d.key, this.owner, this.d.ttlMs, this.deadLocalHolder(await this.d.redis.get(this.d.key)));
      if (res === 1) {
        this.held = true;
        this.d.log.info({ key: this.d.key, owner: this.owner }, 'lease acquired');
        hooks.acquired();
      } else {
        hooks.standby(String(res));
      }
    } catch (err) {
      this.d.log.warn({ key: this.d.key, err: (err as Error).message }, 'lease check failed, keeping current role');
    }
  }

  /** The holder's id when it names a process of this host that no longer runs, else ''. */
  private deadLocalHolder(holder: string | null): string {
    if (!holder) return '';
    const [host, pid] = holder.split(':');
    if (host !== hostname() || !pid || Number(pid) === process.pid) return '';
    try {
      process.kill(Number(pid), 0);
      return '';
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH' ? holder : '';
    }
  }
}
