import type { Redis } from '../core/redis.js';
import type { Logger } from '../core/logger.js';
import { keys } from '../live/keys.js';
import type { InteractionRepository, InteractionPatch, NewInteraction, CallEvent } from './interaction-repository.js';
import type { Outbox } from '../live/outbox.js';

export type CallEventType =
  | 'enter' | 'greeting' | 'enter-queue' | 'offer' | 'ring-no-answer' | 'connect'
  | 'abandon' | 'complete' | 'recording' | 'fallback' | 'recovered'
  | 'ivr-enter' | 'ivr-step' | 'ivr-hangup' | 'leave' | 'end' | 'divert' | 'overflow' | 'announce' | 'exit-key'
  | 'callback-request' | 'callback-declined' | 'callback-offer' | 'callback-dial' | 'callback-connect' | 'callback-no-answer'
  | 'callback-retry' | 'callback-failed' | 'callback-expired' | 'callback-cancel' | 'callback-complete';

/** An interaction's events may continue for a day after its call (a callback): its counter outlives the call. */
const SEQ_TTL_SEC = 8 * 86400;

/**
 * The record of one interaction: the row that says what happened, and the append-only
 * call events under the same id. Sequence numbers come from Redis so events written
 * by several server instances still order correctly.
 */
export class InteractionService {
  constructor(private readonly d: { repo: InteractionRepository; redis: Redis; outbox: Outbox; log: Logger }) {
    d.outbox.handle('interaction.insert', (i: NewInteraction) => d.repo.insert(i));
    d.outbox.handle('interaction.update', (id: string, patch: InteractionPatch) => d.repo.update(id, patch));
    d.outbox.handle('interaction.event', (e: CallEvent) => d.repo.addEvent(e));
  }

  async open(i: NewInteraction): Promise<void> {
    await this.d.outbox.run({ op: 'interaction.insert', args: [i] });
  }

  async update(id: string, patch: InteractionPatch): Promise<void> {
    await this.d.outbox.run({ op: 'interaction.update', args: [id, patch] });
  }

  async event(interactionId: string, type: CallEventType, e: { queue?: string; agentId?: number; data?: Record<string, unknown>; at?: Date } = {}): Promise<void> {
    const [[, seq]] = (await this.d.redis.multi().incr(keys.interactionSeq(interactionId)).expire(keys.interactionSeq(interactionId), SEQ_TTL_SEC).exec()) as [[null, number]];
    const event: CallEvent = { interactionId, seq, type, at: e.at ?? new Date(), queue: e.queue, agentId: e.agentId, data: e.data };
    this.d.log.info({ interactionId, type, queue: e.queue, agentId: e.agentId }, 'call event');
    await this.d.outbox.run({ op: 'interaction.event', args: [event] });
  }

  get(id: string) {
    return this.d.repo.get(id);
  }

  events(id: string) {
    return this.d.repo.events(id);
  }
}
