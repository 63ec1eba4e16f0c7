import type { Redis } from '../core/redis.js';
import type { Logger } from '../core/logger.js';
import { keys } from './keys.js';

/**
 * `routing`: an admin's edit of queues or skills (acd/routing-resync.ts); `calls`: every
 * call event as it is recorded (interactions/CallEventNotice); `desk`: pushes meant for one
 * agent's desk page (payload names its agentId); `monitor`: supervisors listening in;
 * `alerts`: alerts raised and cleared; `schedules`: a named business-hours schedule changed
 * (`{ id }`), so every instance drops its cached copy.
 */
export type LiveTopic = 'devices' | 'agents' | 'calls' | 'routing' | 'desk' | 'monitor' | 'alerts' | 'schedules' | 'trunks';
export type LiveHandler = (payload: unknown) => void;

/**
 * Pushes live changes to every server instance over Redis pub/sub, so a page
 * connected to instance A sees what instance B's telephony connection saw.
 */
export class LiveBus {
  private readonly handlers = new Map<string, Set<LiveHandler>>();

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly log: Logger,
    /**
     * Pub/sub channels are shared by every database of a Redis server: the channel names
     * the database, so two installs (or test runs) on one Redis never hear each other.
     */
    private readonly db = 0,
  ) {
    sub.on('message', (channel: string, message: string) => this.dispatch(channel, message));
  }

  private channel(topic: LiveTopic): string {
    return `${keys.events(topic)}:db${this.db}`;
  }

  async publish(topic: LiveTopic, payload: unknown): Promise<void> {
    try {
      await this.pub.publish(this.channel(topic), JSON.stringify(payload));
    } catch (err) {
      this.log.warn({ topic, err: (err as Error).message }, 'live publish failed');
    }
  }

  /** Returns an unsubscribe function; the Redis subscription is shared per topic. */
  async subscribe(topic: LiveTopic, handler: LiveHandler): Promise<() => void> {
    const channel = this.channel(topic);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await this.sub.subscribe(channel);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  private dispatch(channel: string, message: string): void {
    const set = this.handlers.get(channel);
    if (!set) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      return;
    }
    for (const handler of set) handler(payload);
  }
}
