import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import type { AgentRepository, AgentRecord } from './agent-repository.js';
import type { LiveAgents, LiveAgent } from './live-agents.js';
import { canTransition, isOnCallPath } from './agent-state.js';
import { agentNotFound, invalidTransition } from './errors.js';
import type { AgentState, AgentStateUpdate, AgentView, RequestedState } from './schemas.js';

export interface AgentServiceDeps {
  repo: AgentRepository;
  live: LiveAgents;
  bus: LiveBus;
  log: Logger;
}

export class AgentService {
  constructor(private readonly d: AgentServiceDeps) {}

  async listWithDevices(): Promise<AgentView[]> {
    return this.viewsOf(await this.d.repo.list());
  }

  async get(agentId: number): Promise<AgentView> {
    const agent = await this.d.repo.get(agentId);
    if (!agent) throw agentNotFound(agentId);
    return this.view(agent);
  }

  /** Live views of agents already loaded (the routing pick must not re-read each one). */
  async viewsOf(agents: AgentRecord[]): Promise<AgentView[]> {
    return Promise.all(agents.map((a) => this.view(a)));
  }

  async byExtension(extension: string): Promise<AgentRecord | undefined> {
    return this.d.repo.byExtension(extension);
  }

  async inQueue(queue: string): Promise<AgentRecord[]> {
    return this.d.repo.inQueue(queue);
  }

  /** The agent a user signs in as (agents.user_id), if any. */
  async byUser(userId: number): Promise<AgentRecord | undefined> {
    return (await this.d.repo.list()).find((a) => a.userId === userId);
  }

  liveState(agentId: number): Promise<LiveAgent> {
    return this.d.live.get(agentId);
  }

  /** A state asked for by a person (page, API, later the phone's feature codes). */
  async requestState(agentId: number, req: RequestedState, actor: string): Promise<AgentView> {
    const agent = await this.d.repo.get(agentId);
    if (!agent) throw agentNotFound(agentId);
    const cur = await this.d.live.get(agentId);
    if (cur.state === req.state && req.state !== 'paused') return this.view(agent);
    if (isOnCallPath(cur.state) || !canTransition(cur.state, req.state)) throw invalidTransition(cur.state, req.state);
    const moved = await this.move(agentId, cur.state, req.state, { pauseReason: req.state === 'paused' ? req.reason ?? 'break' : undefined, actor });
    if (!moved) throw invalidTransition(cur.state, req.state);
    return this.view(agent);
  }

  /**
   * The one way an agent changes state: compare-and-set in Redis, then logged and
   * pushed to live pages. Returns false when the agent was no longer in `from`.
   */
  async move(agentId: number, from: AgentState, to: AgentState, extra: { pauseReason?: string; interactionId?: string; actor?: string } = {}): Promise<boolean> {
    if (!canTransition(from, to)) {
      this.d.log.warn({ agentId, from, to }, 'refused agent transition');
      return false;
    }
    const since = new Date().toISOString();
    const ok = await this.d.live.transition(agentId, from, { state: to, since, pauseReason: extra.pauseReason, interactionId: extra.interactionId });
    if (!ok) return false;
    this.d.log.info({ agentId, from, to, ...extra }, 'agent state');
    const update: AgentStateUpdate = { agentId, state: to, since, pauseReason: extra.pauseReason };
    await this.d.bus.publish('agents', update);
    return true;
  }

  /** Logs and publishes a transition already made atomically elsewhere (the ACD's reservation). */
  async announce(agentId: number, from: AgentState, to: AgentState, interactionId?: string): Promise<void> {
    this.d.log.info({ agentId, from, to, interactionId }, 'agent state');
    const update: AgentStateUpdate = { agentId, state: to, since: new Date().toISOString() };
    await this.d.bus.publish('agents', update);
  }

  private async view(a: AgentRecord): Promise<AgentView> {
    const [state, device] = await Promise.all([this.d.live.get(a.id), this.d.live.device(a.extension)]);
    return {
      id: a.id,
      number: a.number,
      name: a.name,
      extension: a.extension,
      state: state.state,
      stateSince: state.since,
      pauseReason: state.pauseReason,
      registered: device.registered,
      deviceState: device.deviceState,
    };
  }
}
