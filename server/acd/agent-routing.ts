import type { Logger } from '../core/logger.js';
import type { AgentService } from '../agents/index.js';
import type { QueueCache } from './queue-cache.js';
import type { LiveStats } from './live-stats.js';
import type { RoutingStore } from './routing/routing-store.js';
import { readyScore } from './routing/strategy.js';
import { keys } from '../live/keys.js';

/**
 * Keeps the routing store's ready sets in step with agent states: an agent entering
 * ready joins every queue whose skill it holds, scored by each queue's strategy; leaving
 * ready takes it out of all of them. The pick script re-checks the agent hash, so a
 * late update here can delay an offer but never cause a wrong one.
 */
export class AgentRouting {
  constructor(private readonly d: { agents: AgentService; routing: RoutingStore; queues: QueueCache; stats: LiveStats; skillsOf(agentId: number): Promise<Record<string, number>>; holdersOf(skill: string): Promise<number[]>; log: Logger }) {}

  /** Returns the agent's queue names when it is now ready in them, else undefined. */
  async sync(agentId: number): Promise<string[] | undefined> {
    const live = await this.d.agents.liveState(agentId);
    if (live.state !== 'ready') {
      await this.d.routing.agentNotReady(agentId);
      return undefined;
    }
    const phone = await this.d.agents.phoneOf(await this.d.agents.record(agentId));
    const memberships = await this.d.queues.membershipsOf(await this.d.skillsOf(agentId));
    const names = memberships.map((m) => m.queue.name);
    const [callsToday, lastOffers] = await Promise.all([this.d.stats.callsToday(agentId), this.d.routing.lastOfferSeqs(agentId, names)]);
    const idleSinceMs = new Date(live.since).getTime() || Date.now();
    const entries = memberships.map((m) => ({
      queue: m.queue.name,
      level: m.level,
      score: readyScore(m.queue.strategy, { idleSinceMs, callsToday, lastOfferSeq: lastOffers.get(m.queue.name) ?? 0 }),
    }));
    const ok = await this.d.routing.agentReady(agentId, entries, keys.device(`PJSIP/${phone}`));
    return ok ? names : undefined;
  }

  /** Agents logged in (any state but logged_out) who hold the queue's skill. */
  staffed(queue: string): Promise<number> {
    return this.holdersIn(queue, (state) => state !== 'logged_out');
  }

  /**
   * Agents who are serving the queue's callers now: logged in and not paused. A paused
   * agent still counts as staffing the queue (callers are not diverted over a coffee
   * break) but serves nobody, so it must not shorten a wait estimate.
   */
  serving(queue: string): Promise<number> {
    return this.holdersIn(queue, (state) => state !== 'logged_out' && state !== 'paused');
  }

  private async holdersIn(queue: string, counts: (state: string) => boolean): Promise<number> {
    const q = await this.d.queues.get(queue);
    if (!q) return 0;
    const holders = new Set(await this.d.holdersOf(q.skill));
    return (await this.d.agents.listWithDevices()).filter((a) => counts(a.state) && holders.has(a.id)).length;
  }

  /** At boot and after a Redis or ARI gap: every agent's sets rebuilt from its hash. */
  async syncAll(): Promise<void> {
    for (const a of await this.d.agents.listWithDevices()) {
      await this.sync(a.id).catch((err: Error) => this.d.log.warn({ agentId: a.id, err: err.message }, 'agent routing sync failed'));
    }
  }
}
