import type { AgentService } from '../agents/index.js';
import type { AuditService } from '../audit/index.js';
import type { AgentView } from '../agents/schemas.js';
import type { Requester } from './monitor-service.js';
import { agentLoggedOut, agentOnCall } from './errors.js';

// While an agent is reserved for, ringing with or talking on a call, a forced change is
// refused rather than queued: a supervisor who wants it "after this call" can press again
// then, and nothing hidden waits to surprise the agent (or race the next offer) later.
const ON_CALL = new Set(['reserved', 'ringing', 'on_call']);

/** A supervisor forcing an agent's state: through the agents room's one state machine, and audited. */
export class ForceService {
  constructor(private readonly d: { agents: AgentService; audit: AuditService }) {}

  async pause(agentId: number, reason: string, by: Requester): Promise<AgentView> {
    const before = await this.d.agents.get(agentId);
    if (before.state === 'logged_out') throw agentLoggedOut(agentId);
    if (ON_CALL.has(before.state)) throw agentOnCall(agentId, before.state);
    const after = await this.d.agents.requestState(agentId, { state: 'paused', reason }, `supervisor:${by.username}`);
    await this.record('agent.force-pause', before, after, by);
    return after;
  }

  /** Logging out an agent who is logged out already changes nothing and writes nothing. */
  async logout(agentId: number, by: Requester): Promise<AgentView> {
    const before = await this.d.agents.get(agentId);
    if (before.state === 'logged_out') return before;
    if (ON_CALL.has(before.state)) throw agentOnCall(agentId, before.state);
    const after = await this.d.agents.requestState(agentId, { state: 'logged_out' }, `supervisor:${by.username}`);
    await this.record('agent.force-logout', before, after, by);
    return after;
  }

  private async record(action: string, before: AgentView, after: AgentView, by: Requester): Promise<void> {
    await this.d.audit.record({
      actor: by, ip: by.ip, action, target: { type: 'agent', id: before.id },
      before: { state: before.state, pauseReason: before.pauseReason ?? null },
      after: { state: after.state, pauseReason: after.pauseReason ?? null },
    });
  }
}
