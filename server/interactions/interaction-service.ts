import type { Redis } from '../core/redis.js';
import type { Logger } from '../core/logger.js';
import { keys } from '../live/keys.js';
import type { InteractionRepository, InteractionPatch, NewInteraction, CallEvent } from './interaction-repository.js';
import type { Outbox, OutboxOp } from '../live/outbox.js';
import type { LiveBus } from '../live/live-bus.js';

export type CallEventType =
  | 'enter' | 'greeting' | 'enter-queue' | 'offer' | 'ring-no-answer' | 'connect'
  | 'abandon' | 'complete' | 'recording' | 'recording-off' | 'fallback' | 'recovered'
  | 'ivr-enter' | 'ivr-step' | 'ivr-hangup' | 'leave' | 'end' | 'divert' | 'overflow' | 'announce' | 'exit-key'
  | 'callback-request' | 'callback-declined' | 'callback-offer' | 'callback-dial' | 'callback-connect' | 'callback-no-answer'
  | 'callback-retry' | 'callback-failed' | 'callback-expired' | 'callback-cancel' | 'callback-complete'
  | 'wrap-up'
  // Call control from the agent's desk (server/acd/call-control).
  | 'hold' | 'resume' | 'transfer' | 'transfer-ringing' | 'transfer-connect' | 'transfer-failed' | 'transfer-complete'
  | 'transfer-cancel' | 'conference' | 'conference-leave' | 'hangup' | 'recording-paused' | 'recording-resumed' | 'dtmf'
  | 'dial' | 'dial-connect'
  // The post-call survey (server/acd/survey): data { score } 1..5; the KPI engine's CSAT reads it.
  | 'survey-score'
  // The number's recording-consent announcement (acd/consent.ts): data { prompt }.
  | 'consent-announced' | 'consent-declined' | 'consent-unavailable';

/** Published on the live 'calls' topic for every call event, as it is recorded. */
export interface CallEventNotice {
  interactionId: string;
  seq: number;
  type: CallEventType;
  at: string;
  queue?: string;
  agentId?: number;
  data?: Record<string, unknown>;
}

/** An interaction's events may continue for a day after its call (a callback): its counter outlives the call. */
const SEQ_TTL_SEC = 8 * 86400;

/**
 * The record of one interaction: the row that says what happened, and the append-only
 * call events under the same id. Sequence numbers come from Redis so events written
 * by several server instances still order correctly.
 */
export class InteractionService {
  constructor(private readonly d: { repo: InteractionRepository; redis: Redis; outbox: Outbox; bus: LiveBus; log: Logger }) {
    d.outbox.handle('interaction.insert', (i: NewInteraction) => d.repo.insert(i));
    d.outbox.handle('interaction.update', (id: string, patch: InteractionPatch) => d.repo.update(id, patch));
    d.outbox.handle('interaction.event', (e: CallEvent) => d.repo.addEvent(e));
  }

  // Writes of one interaction queue behind each other (insert before update and events)
  // but the call does not wait for MariaDB: a caller is answered and routed on Redis
  // alone. Reads through this service wait for the interaction's own writes first.
  private readonly pending = new Map<string, Promise<void>>();

  private write(id: string, op: OutboxOp): Promise<void> {
    const next = (this.pending.get(id) ?? Promise.resolve())
      .then(() => this.d.outbox.run(op))
      .catch((err: Error) => this.d.log.error({ interactionId: id, op: op.op, err: err.message }, 'interaction write lost'));
    this.pending.set(id, next);
    void next.finally(() => {
      if (this.pending.get(id) === next) this.pending.delete(id);
    });
    return Promise.resolve();
  }

  /** Resolves once every write queued so far for this interaction is in MariaDB or the outbox. */
  settled(id: string): Promise<void> {
    return this.pending.get(id) ?? Promise.resolve();
  }

  /** Every queued write, for a clean shutdown. */
  async drain(): Promise<void> {
    await Promise.all([...this.pending.values()]);
  }

  async open(i: NewInteraction): Promise<void> {
    await this.write(i.id, { op: 'interaction.insert', args: [i] });
  }

  async update(id: string, patch: InteractionPatch): Promise<void> {
    await this.write(id, { op: 'interaction.update', args: [id, patch] });
  }

  async event(interactionId: string, type: CallEventType, e: { queue?: string; agentId?: number; data?: Record<string, unknown>; at?: Date } = {}): Promise<void> {
    const [[, seq]] = (await this.d.redis.multi().incr(keys.interactionSeq(interactionId)).expire(keys.interactionSeq(interactionId), SEQ_TTL_SEC).exec()) as [[null, number]];
    const event: CallEvent = { interactionId, seq, type, at: e.at ?? new Date(), queue: e.queue, agentId: e.agentId, data: e.data };
    this.d.log.info({ interactionId, type, queue: e.queue, agentId: e.agentId }, 'call event');
    await this.write(interactionId, { op: 'interaction.event', args: [event] });
    // Live pages (wallboard, agent desk) hear of it at once; MariaDB may lag behind.
    const notice: CallEventNotice = { interactionId, seq, type, at: event.at.toISOString(), queue: e.queue, agentId: e.agentId, data: e.data };
    await this.d.bus.publish('calls', notice);
  }

  async get(id: string) {
    await this.settled(id);
    return this.d.repo.get(id);
  }

  async events(id: string) {
    await this.settled(id);
    return this.d.repo.events(id);
  }
}
