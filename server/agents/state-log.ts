import type { Redis } from '../core/redis.js';
import type { Logger } from '../core/logger.js';
import type { Outbox } from '../live/outbox.js';
import { keys } from '../live/keys.js';
import type { StateLogEntry, StateLogRepository } from './state-log-repository.js';

/**
 * Appends every agent state change to agent_state_log through the outbox, so a MariaDB
 * outage loses none. The change itself already happened in Redis: routing never waits for
 * this write. Writes of one agent queue behind each other, and reads (the agent's day)
 * wait for the agent's own writes first.
 */
export class StateLog {
  private readonly pending = new Map<number, Promise<void>>();

  constructor(private readonly d: { repo: StateLogRepository; redis: Redis; outbox: Outbox; log: Logger }) {
    d.outbox.handle('agentState.log', (e: StateLogEntry) => d.repo.append(e));
  }

  async record(e: Omit<StateLogEntry, 'seq'>): Promise<void> {
    const seq = await this.d.redis.incr(keys.agentStateSeq(e.agentId));
    const entry: StateLogEntry = { ...e, seq };
    const next = (this.pending.get(e.agentId) ?? Promise.resolve())
      .then(() => this.d.outbox.run({ op: 'agentState.log', args: [entry] }))
      .catch((err: Error) => this.d.log.error({ agentId: e.agentId, err: err.message }, 'agent state log write lost'));
    this.pending.set(e.agentId, next);
    void next.finally(() => {
      if (this.pending.get(e.agentId) === next) this.pending.delete(e.agentId);
    });
  }

  settled(agentId: number): Promise<void> {
    return this.pending.get(agentId) ?? Promise.resolve();
  }

  async drain(): Promise<void> {
    await Promise.all([...this.pending.values()]);
  }
}
