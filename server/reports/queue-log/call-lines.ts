import { NONE, seconds, type QueueLogLine } from './queue-log-lines.js';

// Our call events as queue_log lines (the mapping is documented in ../CONTEXT.md). A line
// needs what came before it in the same call (when it entered the queue, when it was
// offered and answered), so one CallLines instance reads every call's events in order and
// keeps a small context per call until the call has left the queue.

export interface QlCallEvent {
  interactionId: string;
  seq: number;
  type: string;
  /** Epoch milliseconds. */
  at: number;
  queue: string | null;
  agentId: number | null;
  data: Record<string, unknown> | null;
  /** The interaction's caller number (ENTERQUEUE's caller id). */
  callerNumber?: string | null;
}

/** The only event types the mapping reads; a repository may fetch just these. */
export const QUEUE_LOG_CALL_EVENTS = [
  'enter-queue', 'offer', 'ring-no-answer', 'connect', 'complete', 'abandon', 'divert', 'exit-key',
  'callback-request', 'callback-declined', 'transfer', 'transfer-complete', 'conference-leave',
] as const;

interface CallContext {
  queue: string;
  enteredAt: number;
  origPosition?: number;
  offeredAt?: number;
  connectedAt?: number;
  waitSec?: number;
  /** The exit key pressed for a callback, until the callback is confirmed or declined. */
  exitKey?: string;
  /** The call has left the queue (answered and transferred away, timed out, exited). */
  left?: boolean;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class CallLines {
  private readonly calls = new Map<string, CallContext>();

  /** `agentName(id)`: the stable name of an agent (Agent/<number>). */
  constructor(private readonly agentName: (agentId: number | null | undefined) => string) {}

  /** Contexts kept (calls still in a queue); for tests and to watch memory. */
  get open(): number {
    return this.calls.size;
  }

  lines(e: QlCallEvent): QueueLogLine[] {
    if (e.type === 'enter-queue') return this.enter(e);
    const ctx = this.calls.get(e.interactionId);
    // A call whose queue entry we never saw (before the export's start, or outside queues).
    if (!ctx || !e.queue || e.queue !== ctx.queue) return [];
    const line = this.settle(e, ctx) ?? this.transfer(e, ctx) ?? this.track(e, ctx);
    if (ctx.left) this.calls.delete(e.interactionId);
    return line ? [line] : [];
  }

  private enter(e: QlCallEvent): QueueLogLine[] {
    if (!e.queue) return [];
    const origPosition = num(e.data?.position);
    this.calls.set(e.interactionId, { queue: e.queue, enteredAt: e.at, origPosition });
    return [this.line(e, NONE, 'ENTERQUEUE', ['', e.callerNumber ?? '', origPosition])];
  }

  /** Lines that end the caller's stay: answered and completed, abandoned, timed out, exited. */
  private settle(e: QlCallEvent, ctx: CallContext): QueueLogLine | undefined {
    const waited = () => seconds(e.at - ctx.enteredAt);
    switch (e.type) {
      case 'complete': {
        ctx.left = true;
        const calltime = ctx.connectedAt === undefined ? undefined : seconds(e.at - ctx.connectedAt);
        const event = e.data?.by === 'caller' ? 'COMPLETECALLER' : 'COMPLETEAGENT';
        return this.line(e, this.agentName(e.agentId), event, [ctx.waitSec, calltime, ctx.origPosition]);
      }
      case 'abandon':
        // Only a caller who hung up while queued; an 'abandon' in the greeting or IVR never entered.
        if (e.data?.outcome !== 'abandoned' || ctx.connectedAt !== undefined) return undefined;
        ctx.left = true;
        return this.line(e, NONE, 'ABANDON', [num(e.data?.position), ctx.origPosition, seconds(num(e.data?.waitMs)) ?? waited()]);
      case 'divert':
        // A diversion to a callback only opens the callback dialog: the caller may stay.
        if (e.data?.type === 'callback' || ctx.connectedAt !== undefined) return undefined;
        ctx.left = true;
        return this.line(e, NONE, 'EXITWITHTIMEOUT', [undefined, ctx.origPosition, waited()]);
      case 'exit-key':
        if (e.data?.to !== 'voicemail') {
          ctx.exitKey = str(e.data?.digit);
          return undefined;
        }
        ctx.left = true;
        return this.line(e, NONE, 'EXITWITHKEY', [str(e.data?.digit), undefined, ctx.origPosition, waited()]);
      case 'callback-request':
        ctx.left = true;
        return ctx.exitKey !== undefined
          ? this.line(e, NONE, 'EXITWITHKEY', [ctx.exitKey, undefined, ctx.origPosition, waited()])
          : this.line(e, NONE, 'EXITWITHTIMEOUT', [undefined, ctx.origPosition, waited()]);
      default:
        return undefined;
    }
  }

  /** The agent hands the answered call on and leaves it: the queue is done with it. */
  private transfer(e: QlCallEvent, ctx: CallContext): QueueLogLine | undefined {
    const from = num((e.data?.from as Record<string, unknown> | undefined)?.agentId) ?? e.agentId;
    const calltime = ctx.connectedAt === undefined ? undefined : seconds(e.at - ctx.connectedAt);
    const tail = [ctx.waitSec, calltime, ctx.origPosition];
    const kind = e.data?.kind;
    if ((e.type === 'transfer' && kind === 'blind') || (e.type === 'transfer-complete' && kind === 'blind')) {
      ctx.left = true;
      const to = (e.data?.to ?? {}) as Record<string, unknown>;
      const type = str(to.type);
      const extension = type === 'queue' ? str(to.queue) : str(to.number);
      return this.line(e, this.agentName(from), 'BLINDTRANSFER', [extension, type, ...tail]);
    }
    if (e.type === 'transfer-complete' && kind === 'attended') {
      ctx.left = true;
      return this.line(e, this.agentName(from), 'ATTENDEDTRANSFER', ['BRIDGE', `call-${e.interactionId}`, ...tail]);
    }
    if (e.type === 'conference-leave' && e.data?.who === 'agent') {
      ctx.left = true;
      return this.line(e, this.agentName(from), 'ATTENDEDTRANSFER', ['THREEWAY', `call-${e.interactionId}`, ...tail]);
    }
    return undefined;
  }

  /** Steps inside the stay: offers, ring-no-answer, the answer. */
  private track(e: QlCallEvent, ctx: CallContext): QueueLogLine | undefined {
    switch (e.type) {
      case 'offer':
        ctx.offeredAt = e.at;
        return undefined;
      case 'ring-no-answer': {
        // A callback's offer is not a queued caller's: its ENTERQUEUE was long settled.
        if (e.data?.callback) return undefined;
        const ringMs = ctx.offeredAt === undefined ? undefined : Math.max(0, e.at - ctx.offeredAt);
        ctx.offeredAt = undefined;
        return this.line(e, this.agentName(e.agentId), 'RINGNOANSWER', [ringMs]);
      }
      case 'connect': {
        if (e.data?.direction === 'outbound') return undefined;
        ctx.connectedAt = e.at;
        ctx.waitSec = seconds(num(e.data?.waitMs) ?? e.at - ctx.enteredAt);
        const ringSec = ctx.offeredAt === undefined ? undefined : seconds(e.at - ctx.offeredAt);
        return this.line(e, this.agentName(e.agentId), 'CONNECT', [ctx.waitSec, undefined, ringSec]);
      }
      case 'callback-declined':
        ctx.exitKey = undefined;
        return undefined;
      default:
        return undefined;
    }
  }

  private line(e: QlCallEvent, agent: string, event: string, data: QueueLogLine['data']): QueueLogLine {
    return { at: e.at, callid: e.interactionId, queue: e.queue ?? NONE, agent, event, data };
  }
}
