import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import type { AgentRouting } from './agent-routing.js';
import type { LiveCalls } from './live-calls.js';
import type { QueueCache } from './queue-cache.js';
import type { RoutingChange } from './queue-service.js';
import type { RoutingStore } from './routing/routing-store.js';

export interface RoutingResyncDeps {
  agentRouting: AgentRouting;
  routing: RoutingStore;
  queues: QueueCache;
  live: LiveCalls;
  holdersOf(skill: string): Promise<number[]>;
  log: Logger;
}

/**
 * Brings the live routing state in line with an admin's edit at once. An agent's ready
 * set entries are otherwise computed only when it turns ready, so without this a new
 * skill would wait for the agent's next pause→ready and a removed one would keep
 * offering calls the agent should no longer get.
 */
export class RoutingResync {
  constructor(private readonly d: RoutingResyncDeps) {}

  async apply(change: RoutingChange): Promise<void> {
    // The edit was just committed: the settings cached for the call path must be re-read first.
    this.d.queues.invalidate();
    if (change.kind === 'skills') {
      await this.d.agentRouting.sync(change.agentId);
      this.d.log.info({ agentId: change.agentId }, 'ready sets re-synced after a skills edit');
      return;
    }
    const agents = await this.affected(change.queue);
    for (const id of agents) {
      await this.d.agentRouting.sync(id).catch((err: Error) => this.d.log.warn({ agentId: id, err: err.message }, 'agent routing sync failed'));
    }
    const lowered = await this.lowerWaiting(change.queue);
    this.d.log.info({ queue: change.queue, agents: agents.length, lowered }, 'ready sets re-synced after a queue edit');
  }

  /**
   * Agents ready in the queue now (its skill may have changed away from theirs, or the
   * queue is gone) and agents holding its skill now. A strategy change is covered too:
   * every entry of the queue is re-scored in the new strategy's encoding.
   */
  private async affected(queue: string): Promise<number[]> {
    const q = await this.d.queues.get(queue);
    const holders = q ? await this.d.holdersOf(q.skill) : [];
    return [...new Set([...(await this.d.routing.readyAgentsOf(queue)), ...holders])];
  }

  /**
   * A lowered minimum level reaches callers already waiting: no call of a queue asks more
   * than the queue does. A raised one does not narrow them (as a widen stage never
   * narrows): they keep the agents they could already be offered.
   */
  private async lowerWaiting(queue: string): Promise<number> {
    const q = await this.d.queues.get(queue);
    if (!q) return 0;
    let lowered = 0;
    for (const id of await this.d.live.activeIds()) {
      const call = await this.d.live.get(id);
      if (!call || call.queue !== queue || (call.state !== 'waiting' && call.state !== 'offering')) continue;
      if ((call.minLevel ?? q.minLevel) <= q.minLevel) continue;
      if (await this.d.routing.setMinLevel(id, q.minLevel)) {
        await this.d.live.patch(id, { minLevel: q.minLevel });
        lowered++;
      }
    }
    return lowered;
  }
}

/**
 * The instance that saved the edit re-syncs before answering, so the API's reply means
 * "in effect". Every instance then drops its cached queue settings; the one holding the
 * Stasis app re-syncs as well (its own agent-ready syncs in the meantime may have used
 * the old settings) and offers waiting calls to whoever can now take them.
 */
export async function wireRoutingResync(d: {
  resync: RoutingResync;
  queues: QueueCache;
  bus: LiveBus;
  onChange(listener: (change: RoutingChange) => Promise<void>): void;
  isStasisOwner(): boolean;
  match(change: RoutingChange): Promise<void>;
  log: Logger;
}): Promise<void> {
  const origin = randomUUID();
  d.onChange(async (change) => {
    await d.resync.apply(change);
    await d.bus.publish('routing', { ...change, origin });
  });
  await d.bus.subscribe('routing', (msg) => {
    const { origin: from, ...change } = msg as RoutingChange & { origin: string };
    d.queues.invalidate();
    if (!d.isStasisOwner()) return;
    const again = from === origin ? Promise.resolve() : d.resync.apply(change);
    void again.then(() => d.match(change)).catch((err: Error) => d.log.warn({ ...change, err: err.message }, 'match after a routing edit failed'));
  });
}
