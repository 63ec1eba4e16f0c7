import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import type { AgentService } from '../agents/index.js';
import type { InteractionService } from '../interactions/index.js';
import type { DispositionService } from './disposition-service.js';
import { checkedBody } from '../core/validate.js';
import { WrapUpInput } from './schemas.js';
import { dispositionRequired, interactionNotFound, unknownDisposition } from './errors.js';
import type { CallAccess } from './call-access.js';

export interface WrapUpActor {
  userId: number;
  username: string;
  /** The agent acting on its own call; absent for a supervisor or admin correcting one. */
  agentId?: number;
}

/** The agent's after-call work: disposition, note and follow-up land on the interaction. */
export class WrapUpService {
  constructor(private readonly d: { interactions: InteractionService; agents: AgentService; dispositions: DispositionService; access: CallAccess; bus: LiveBus; log: Logger }) {}

  async save(interactionId: string, body: unknown, actor: WrapUpActor): Promise<{ interactionId: string; disposition: string | null; followUp: boolean; done: boolean }> {
    const input = checkedBody(WrapUpInput, body);
    const row = actor.agentId !== undefined ? await this.d.access.assert(actor.agentId, interactionId) : await this.d.interactions.get(interactionId);
    if (!row) throw interactionNotFound(interactionId);
    const disposition = await this.checkDisposition(row.queue, input.disposition, !!input.done);
    const note = input.note?.trim() || null;
    const followUp = input.followUp ?? false;
    const agentId = actor.agentId ?? row.agent_id ?? undefined;
    await this.d.interactions.update(interactionId, { disposition, wrapNote: note, followUp, wrappedAt: new Date(), wrappedBy: actor.userId });
    // The note itself stays on the interaction row; the event says that one was written.
    await this.d.interactions.event(interactionId, 'wrap-up', { queue: row.queue ?? undefined, agentId, data: { disposition, followUp, note: !!note, by: actor.username } });
    const done = !!input.done && agentId !== undefined && (await this.finish(agentId, interactionId, actor.username));
    if (agentId !== undefined) await this.d.bus.publish('desk', { agentId, kind: 'wrap-up-saved', interactionId, disposition, followUp, done });
    return { interactionId, disposition, followUp, done };
  }

  /** The agent is ready for the next call, if it is still in this call's wrap-up. */
  private async finish(agentId: number, interactionId: string, actor: string): Promise<boolean> {
    const cur = await this.d.agents.liveState(agentId);
    if (cur.state !== 'wrap_up' || (cur.interactionId && cur.interactionId !== interactionId)) return false;
    return this.d.agents.move(agentId, 'wrap_up', 'ready', { actor });
  }

  private async checkDisposition(queue: string | null, code: string | undefined, done: boolean): Promise<string | null> {
    const offered = await this.d.dispositions.forQueue(queue);
    if (!code) {
      if (done && queue && offered.some((d) => d.queue === queue)) throw dispositionRequired(queue);
      return null;
    }
    if (!offered.some((d) => d.code === code)) throw unknownDisposition(code, queue);
    return code;
  }
}
