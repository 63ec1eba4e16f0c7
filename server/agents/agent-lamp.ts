import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import type { CallControl } from '../telephony/index.js';
import type { AgentRecord } from './agent-repository.js';
import type { AgentState, AgentStateUpdate } from './schemas.js';

/** The busy lamp a phone shows for each agent state. */
const LAMP: Record<AgentState, string> = {
  logged_out: 'UNAVAILABLE',
  ready: 'NOT_INUSE',
  reserved: 'RINGING',
  ringing: 'RINGING',
  on_call: 'INUSE',
  wrap_up: 'ONHOLD',
  paused: 'BUSY',
};

export function lampOf(state: AgentState): string {
  return LAMP[state];
}

/** The device state name of an agent's lamp; the dialplan hint *75<number> watches Stasis:<this>. */
export const lampDevice = (agentNumber: string) => `agent-${agentNumber}`;

/**
 * Mirrors agent states onto Asterisk device states, so a desk phone's BLF key shows an
 * agent's state. Only the instance holding the Stasis app writes them (ARI device states
 * belong to that connection); after every (re)connect it rewrites all of them, since
 * changes during a gap were not written.
 */
export class AgentLamp {
  constructor(private readonly d: {
    calls: CallControl;
    bus: LiveBus;
    agents: { list(): Promise<AgentRecord[]>; get(id: number): Promise<AgentRecord | undefined>; stateOf(id: number): Promise<AgentState> };
    log: Logger;
  }) {}

  async attach(): Promise<void> {
    this.d.calls.on('connected', () => this.syncAll());
    await this.d.bus.subscribe('agents', (p) => {
      const u = p as AgentStateUpdate;
      if (this.d.calls.isUp()) this.queue(u.agentId);
    });
  }

  private readonly chains = new Map<number, Promise<void>>();
  // The lamp is named after the agent's number, which a state change never alters: read
  // once (at each full sync, or the first change of an agent), not per state change.
  private readonly known = new Map<number, AgentRecord>();

  // Updates of one agent are written one after another, each with the state read at write
  // time: two quick changes (reserved, ringing) can then never leave the older lamp lit.
  private queue(agentId: number): void {
    const next = (this.chains.get(agentId) ?? Promise.resolve()).then(() => this.set(agentId));
    this.chains.set(agentId, next);
    void next.finally(() => {
      if (this.chains.get(agentId) === next) this.chains.delete(agentId);
    });
  }

  async syncAll(): Promise<void> {
    for (const a of await this.d.agents.list()) {
      this.known.set(a.id, a);
      await this.write(a, await this.d.agents.stateOf(a.id));
    }
  }

  private async set(agentId: number): Promise<void> {
    const agent = this.known.get(agentId) ?? (await this.d.agents.get(agentId).catch(() => undefined));
    if (!agent) return;
    this.known.set(agentId, agent);
    await this.write(agent, await this.d.agents.stateOf(agentId));
  }

  private async write(agent: AgentRecord, state: AgentState): Promise<void> {
    try {
      await this.d.calls.setDeviceState(lampDevice(agent.number), lampOf(state));
    } catch (err) {
      this.d.log.warn({ agentId: agent.id, state, err: (err as Error).message }, 'agent lamp not set');
    }
  }
}
