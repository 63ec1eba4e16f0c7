import type { Logger } from '../core/logger.js';
import type { QueueService } from './queue-service.js';
import type { StoredQueue } from './queue-repository.js';

/**
 * Queue settings as the call path reads them: many times a second (every tick, every
 * pick), so from memory, refreshed from MariaDB every few seconds. An edit in the admin
 * pages reaches calls within `refreshMs`; a database outage keeps the last good copy.
 */
export class QueueCache {
  private byName = new Map<string, StoredQueue>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(private readonly d: { queues: QueueService; log: Logger; refreshMs?: number }) {}

  async all(): Promise<StoredQueue[]> {
    await this.fresh();
    return [...this.byName.values()];
  }

  async get(name: string): Promise<StoredQueue | undefined> {
    await this.fresh();
    return this.byName.get(name);
  }

  /** Queues whose skill the agent holds, at the agent's level there (any level: overflow may widen). */
  async membershipsOf(skills: Record<string, number>): Promise<Array<{ queue: StoredQueue; level: number }>> {
    return (await this.all()).filter((q) => skills[q.skill] !== undefined).map((q) => ({ queue: q, level: skills[q.skill] as number }));
  }

  invalidate(): void {
    this.loadedAt = 0;
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt < (this.d.refreshMs ?? 5000)) return;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    await this.loading;
  }

  private async load(): Promise<void> {
    try {
      const names = await this.d.queues.names();
      const list = await Promise.all(names.map((n) => this.d.queues.get(n)));
      this.byName = new Map(list.map((q) => [q.name, q]));
      this.loadedAt = Date.now();
    } catch (err) {
      // Keep serving the last copy; try again at the next read.
      this.d.log.warn({ err: (err as Error).message }, 'queue settings not refreshed');
      if (!this.byName.size) throw err;
    }
  }
}
