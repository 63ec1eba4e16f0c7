import type { Redis } from '../core/redis.js';
import type { Logger } from '../core/logger.js';
import { keys } from './keys.js';

/** `routing`: an admin's edit of queues or skills (acd/routing-resync.ts). */
export type LiveTopic = 'devices' | 'agents' | 'calls' | 'routing';
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
  ) {
    sub.on('message', (channel: string, message: string) => this.dispatch(channel, message));
  }

  async publish(topic: LiveTopic, payload: unknown): Promise<void> {
    try {
      await this.pub.publish(keys.events(topic), JSON.stringify(payload));
    } catch (err) {
      this.log.warn({ topic, err: (err as Error).message }, 'live publish failed');
    }
  }

  /** Returns an unsubscribe function; the Redis subscription is shared per topic. */
  async subscribe(topic: LiveTopic, handler: LiveHandler): Promise<() => void> {
    const channel = keys.events(topic);
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
