import type { AgentService } from '../agents/index.js';
import type { InteractionService } from '../interactions/index.js';
import { interactionNotFound, notYourCall } from './errors.js';

/**
 * Whether an agent may act on an interaction from its desk (wrap it up, file it under a
 * customer): the call it is busy with now, or one it handled. A transferred call has
 * several agents, each of whom may act on their part.
 */
export class CallAccess {
  constructor(private readonly d: { interactions: InteractionService; agents: AgentService }) {}

  /** The interaction's row, once the agent is known to have a part in it. */
  async assert(agentId: number, interactionId: string) {
    const [row, live] = await Promise.all([this.d.interactions.get(interactionId), this.d.agents.liveState(agentId)]);
    if (!row) throw interactionNotFound(interactionId);
    if (row.agent_id === agentId || live.interactionId === interactionId) return row;
    const events = await this.d.interactions.events(interactionId);
    if (events.some((e) => e.agent_id === agentId && (e.type === 'connect' || e.type.startsWith('transfer')))) return row;
    throw notYourCall(interactionId);
  }
}
