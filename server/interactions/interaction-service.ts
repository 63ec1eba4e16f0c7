import type { Redis } from '../core/redis.js';
import type { Logger } from '../core/logger.js';
import { keys } from '../live/keys.js';
import type { InteractionRepository, InteractionPatch, NewInteraction, CallEvent } from './interaction-repository.js';
import { Outbox, type OutboxOp } from './outbox.js';

export type CallEventType =
  | 'enter' | 'greeting' | 'enter-queue' | 'offer' | 'ring-no-answer' | 'connect'
  | 'abandon' | 'complete' | 'recording' | 'fallback' | 'recovered';

/**
 * The record of one interaction: the row that says what happened, and the append-only
 * call events under the same id. Sequence numbers come from Redis so events written
 * by several server instances still order correctly.
 */
export class InteractionService {
  readonly outbox: Outbox;

  constructor(private readonly d: { repo: InteractionRepository; redis: Redis; log: Logger }) {
    this.outbox = new Outbox(d.redis, (op) => this.apply(op), d.log);
  }

  async open(i: NewInteraction): Promise<void> {
    await this.outbox.run({ op: 'insert', args: [i] });
  }

  async update(id: string, patch: InteractionPatch): Promise<void> {
    await this.outbox.run({ op: 'update', args: [id, patch] });
  }

  async event(interactionId: string, type: CallEventType, e: { queue?: string; agentId?: number; data?: Record<string, unknown>; at?: Date } = {}): Promise<void> {
    const seq = await this.d.redis.hincrby(keys.call(interactionId), 'eventSeq', 1);
    const event: CallEvent = { interactionId, seq, type, at: e.at ?? new Date(), queue: e.queue, agentId: e.agentId, data: e.data };
    this.d.log.info({ interactionId, type, queue: e.queue, agentId: e.agentId }, 'call event');
    await this.outbox.run({ op: 'event', args: [event] });
  }

  get(id: string) {
    return this.d.repo.get(id);
  }

  events(id: string) {
    return this.d.repo.events(id);
  }

  private async apply(op: OutboxOp): Promise<void> {
    const [a, b] = op.args;
    switch (op.op) {
      case 'insert':
        return this.d.repo.insert(a as NewInteraction);
      case 'update':
        return this.d.repo.update(a as string, b as InteractionPatch);
      case 'event':
        return this.d.repo.addEvent(a as CallEvent);
      default:
        this.d.log.error({ op: op.op }, 'unknown outbox operation dropped');
    }
  }
}
