import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import type { AgentRepository, AgentRecord } from './agent-repository.js';
import type { LiveAgents, LiveAgent } from './live-agents.js';
import type { StateLog } from './state-log.js';
import type { SessionService } from './session-service.js';
import { canTransition, unavailableReasonOf } from './agent-state.js';
import { agentNotFound } from './errors.js';
import type { AgentState, AgentStateUpdate, AgentView, RequestedState } from './schemas.js';

export interface AgentServiceDeps {
  repo: AgentRepository;
  live: LiveAgents;
  bus: LiveBus;
  stateLog: StateLog;
  log: Logger;
}

export interface MoveExtra {
  pauseReason?: string;
  interactionId?: string;
  actor?: string;
}

export class AgentService {
  /** Log in and out, ready and pause as people ask for them (set by the room's wiring). */
  sessions!: SessionService;

  constructor(private readonly d: AgentServiceDeps) {}

  async listWithDevices(): Promise<AgentView[]> {
    return this.viewsOf(await this.d.repo.list());
  }

  async get(agentId: number): Promise<AgentView> {
    return this.view(await this.record(agentId));
  }

  async record(agentId: number): Promise<AgentRecord> {
    const agent = await this.d.repo.get(agentId);
    if (!agent) throw agentNotFound(agentId);
    return agent;
  }

  /** Live views of agents already loaded (the routing pick must not re-read each one). */
  async viewsOf(agents: AgentRecord[]): Promise<AgentView[]> {
    return Promise.all(agents.map((a) => this.view(a)));
  }

  async byExtension(extension: string): Promise<AgentRecord | undefined> {
    return this.d.repo.byExtension(extension);
  }

  /** Makes a user account the one that works as this agent (desk page, own state). */
  async linkUser(agentId: number, userId: number): Promise<void> {
    await this.d.repo.linkUser(agentId, userId);
  }

  /** The agent a signed-in user works as (agents.user_id), if any. */
  async byUser(userId: number): Promise<AgentRecord | undefined> {
    return this.d.repo.byUser(userId);
  }

  async inQueue(queue: string): Promise<AgentRecord[]> {
    return this.d.repo.inQueue(queue);
  }

  liveState(agentId: number): Promise<LiveAgent> {
    return this.d.live.get(agentId);
  }

  /** The desk phone the agent takes calls on: where it logged in, else its own extension. */
  async phoneOf(agent: Pick<AgentRecord, 'id' | 'extension'>): Promise<string> {
    return (await this.d.live.phone(agent.id)) ?? agent.extension;
  }

  /** A state asked for by a person (page, API, the phone's feature codes). */
  requestState(agentId: number, req: RequestedState, actor: string): Promise<AgentView> {
    return this.sessions.requestState(agentId, req, actor);
  }

  /**
   * The one way an agent changes state: compare-and-set in Redis, then logged (pino and
   * agent_state_log) and pushed to live pages. Returns false when the agent was no longer in `from`.
   */
  async move(agentId: number, from: AgentState, to: AgentState, extra: MoveExtra = {}): Promise<boolean> {
    if (!canTransition(from, to)) {
      this.d.log.warn({ agentId, from, to }, 'refused agent transition');
      return false;
    }
    const since = new Date();
    const ok = await this.d.live.transition(agentId, from, { state: to, since: since.toISOString(), pauseReason: extra.pauseReason, interactionId: extra.interactionId });
    if (!ok) return false;
    await this.changed(agentId, from, to, since, extra);
    return true;
  }

  /** Logs and publishes a transition already made atomically elsewhere (the ACD's reservation). */
  async announce(agentId: number, from: AgentState, to: AgentState, interactionId?: string): Promise<void> {
    await this.changed(agentId, from, to, new Date(), { interactionId, actor: 'acd' });
  }

  /** Tells routing and pages the agent moved to another phone without changing state. */
  async announcePhone(agentId: number, phone: string): Promise<void> {
    const cur = await this.d.live.get(agentId);
    const update: AgentStateUpdate = { agentId, state: cur.state, since: cur.since, pauseReason: cur.pauseReason, phone };
    await this.d.bus.publish('agents', update);
  }

  private async changed(agentId: number, from: AgentState, to: AgentState, at: Date, extra: MoveExtra): Promise<void> {
    const phone = await this.d.live.phone(agentId);
    this.d.log.info({ agentId, from, to, phone, ...extra }, 'agent state');
    await this.d.stateLog.record({ agentId, from, to, reason: extra.pauseReason, interactionId: extra.interactionId, phone, actor: extra.actor, at });
    const update: AgentStateUpdate = { agentId, state: to, since: at.toISOString(), pauseReason: extra.pauseReason, interactionId: extra.interactionId, phone };
    await this.d.bus.publish('agents', update);
  }

  private async view(a: AgentRecord): Promise<AgentView> {
    const [state, phone] = await Promise.all([this.d.live.get(a.id), this.phoneOf(a)]);
    const device = await this.d.live.device(phone);
    return {
      id: a.id,
      number: a.number,
      name: a.name,
      extension: a.extension,
      state: state.state,
      stateSince: state.since,
      pauseReason: state.pauseReason,
      phone,
      registered: device.registered,
      deviceState: device.deviceState,
      unavailableReason: unavailableReasonOf(state.state, device),
    };
  }
}
