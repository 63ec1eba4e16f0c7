import type { KpiEvent } from './fold.js';

// Handling figures of one interaction (KPIS.md: AHT, transfer rate, FCR, CSAT), from its
// call events in seq order. Pure: the summary builder reads the rows, these add them up.

/** Event types the handling figures read, besides the fold's own (KPI_EVENT_TYPES). */
export const HANDLING_EVENT_TYPES = ['complete', 'hold', 'resume', 'transfer', 'transfer-connect', 'transfer-complete', 'conference-leave', 'survey-score'] as const;

export interface Handling {
  /** The entry the first agent answered: the call counts once as handled, there. */
  queue: string;
  queuedAt: number;
  agentId: number | null;
  talkMs: number;
  holdMs: number;
  transferred: boolean;
  /** Post-call survey score 1..5, or null without an answer. */
  csat: number | null;
  /** The agent the caller rated: the one who ended the call (after a transfer, not the first). */
  csatAgentId: number | null;
}

/**
 * A blind transfer that connected, an attended one completed, a hand-over to a queue, or
 * the agent leaving a conference to the caller and the other party: the queue_log export
 * writes that one as ATTENDEDTRANSFER|THREEWAY, and both must count the same calls.
 */
function isTransferOut(e: KpiEvent): boolean {
  if (e.type === 'transfer-complete') return true;
  if (e.type === 'conference-leave') return e.data?.who === 'agent';
  if (e.type === 'transfer-connect') return e.data?.kind === 'blind';
  const to = e.data?.to as { type?: unknown } | undefined;
  return e.type === 'transfer' && to?.type === 'queue';
}

function csatOf(e: KpiEvent): number | null {
  const score = e.data?.score;
  return typeof score === 'number' && Number.isInteger(score) && score >= 1 && score <= 5 ? score : null;
}

/**
 * The handling of one interaction, or null when no agent answered it. Talk runs from the
 * first answer to the end of the call (a transfer does not restart it); hold is each
 * hold-to-resume span, and a call that ends on hold counts its last hold up to the end.
 */
export function handlingOf(events: readonly KpiEvent[]): Handling | null {
  let entry: { queue: string; at: number } | undefined;
  let h: Handling | null = null;
  let connectedAt = 0;
  let heldAt: number | undefined;
  for (const e of events) {
    if (e.type === 'enter-queue' && e.queue && !h) entry = { queue: e.queue, at: e.at };
    else if (e.type === 'connect' && !h && entry) {
      h = { queue: entry.queue, queuedAt: entry.at, agentId: e.agentId ?? null, talkMs: 0, holdMs: 0, transferred: false, csat: null, csatAgentId: null };
      connectedAt = e.at;
    } else if (!h) continue;
    else if (e.type === 'hold') heldAt ??= e.at;
    else if (e.type === 'resume' && heldAt !== undefined) {
      h.holdMs += Math.max(0, e.at - heldAt);
      heldAt = undefined;
    } else if (e.type === 'complete') {
      h.talkMs = Math.max(0, e.at - connectedAt);
      if (heldAt !== undefined) h.holdMs += Math.max(0, e.at - heldAt);
      heldAt = undefined;
    } else if (isTransferOut(e)) h.transferred = true;
    else if (e.type === 'survey-score') {
      const score = csatOf(e);
      if (score !== null) {
        h.csat = score;
        h.csatAgentId = e.agentId ?? h.agentId;
      }
    }
  }
  return h;
}

/**
 * The caller as FCR groups it: digits only, an international 00 dropped; fewer than 4
 * digits (anonymous, withheld, 'unknown') is no caller and never grouped. The same rule
 * as the interactions.caller_key column (migration 0012).
 */
export function callerKeyOf(number: string | null | undefined): string | null {
  const key = (number ?? '').replace(/[^0-9]/g, '').replace(/^00/, '');
  return key.length >= 4 ? key : null;
}

export interface AnsweredCall {
  interactionId: string;
  callerKey: string | null;
  /** When it was answered (epoch ms). */
  at: number;
}

/**
 * Whether a handled call is a repeat: the same caller had another answered call in the
 * window before this one's entry (KPIS.md, QueueMetrics' grouping margin). An anonymous
 * caller is never a repeat.
 */
export function isRepeat(call: { interactionId: string; callerKey: string | null; enteredAt: number }, earlier: readonly AnsweredCall[], windowMs: number): boolean {
  if (!call.callerKey) return false;
  return earlier.some((p) => p.callerKey === call.callerKey && p.interactionId !== call.interactionId && p.at < call.enteredAt && p.at >= call.enteredAt - windowMs);
}
