import { emptyCounters, type QueueCounters } from './counters.js';
import type { KpiThresholds } from './thresholds.js';

/**
 * One call event as the fold needs it; a live CallEventNotice and a call_events row both
 * map to it (see fromNotice / fromRow in events.ts).
 */
export interface KpiEvent {
  interactionId: string;
  seq: number;
  type: string;
  /** Epoch milliseconds. */
  at: number;
  queue?: string | null;
  /** The agent the event names (a connect's answering agent). */
  agentId?: number | null;
  data?: Record<string, unknown> | null;
}

/** The only event types the fold reads; a repository may fetch just these. */
export const KPI_EVENT_TYPES = ['enter-queue', 'connect', 'abandon', 'divert', 'exit-key', 'callback-request'] as const;

export interface FoldOptions {
  thresholds(queue: string): KpiThresholds;
  /** Whether an entry made at this time (epoch ms) belongs to the interval being counted. */
  includes(at: number): boolean;
  /**
   * Where an entry's counts go; the queue's counters (`queues`) when absent. The summary
   * (server/reports/summary-builder.ts) splits them further by bucket, DID and agent.
   */
  cell?(entry: EntryRef): QueueCounters;
}

/** An entry as a cell sees it: agentId is the answering agent, null before or without an answer. */
export interface EntryRef {
  interactionId: string;
  queue: string;
  queuedAt: number;
  agentId: number | null;
}

/** An interaction waiting in a queue whose outcome is not known yet. */
interface OpenEntry {
  queue: string;
  queuedAt: number;
}

export interface FoldState {
  readonly opts: FoldOptions;
  readonly queues: Map<string, QueueCounters>;
  readonly open: Map<string, OpenEntry>;
  /** Seqs applied per interaction: the same event from MariaDB and from the live topic counts once. */
  readonly applied: Map<string, Set<number>>;
}

export function createFold(opts: FoldOptions): FoldState {
  return { opts, queues: new Map(), open: new Map(), applied: new Map() };
}

function countersOf(s: FoldState, queue: string, ref?: EntryRef): QueueCounters {
  if (ref && s.opts.cell) return s.opts.cell(ref);
  let c = s.queues.get(queue);
  if (!c) s.queues.set(queue, (c = emptyCounters()));
  return c;
}

/** The wait an event reports, or the time since the entry when it carries none. */
function waitOf(e: KpiEvent, entry: OpenEntry): number {
  const w = e.data?.waitMs;
  return typeof w === 'number' && w >= 0 ? w : Math.max(0, e.at - entry.queuedAt);
}

/** Which counter settles an entry, or undefined when the event leaves it waiting. */
type Settlement = 'answered' | 'abandoned' | 'timedOut' | 'callbacks' | 'exitedWithKey';

function settlementOf(e: KpiEvent): Settlement | undefined {
  switch (e.type) {
    case 'connect': return 'answered';
    case 'abandon': return 'abandoned';
    case 'callback-request': return 'callbacks';
    // A diversion to a callback only opens the callback dialog: the caller may decline and
    // keep its place, so only the callback-request (or its abandon) settles it.
    case 'divert': return e.data?.type === 'callback' ? undefined : 'timedOut';
    case 'exit-key': return e.data?.to === 'voicemail' ? 'exitedWithKey' : undefined;
    default: return undefined;
  }
}

function settle(s: FoldState, id: string, entry: OpenEntry, how: Settlement, e: KpiEvent): void {
  s.open.delete(id);
  const agentId = how === 'answered' ? (e.agentId ?? null) : null;
  const c = countersOf(s, entry.queue, { interactionId: id, queue: entry.queue, queuedAt: entry.queuedAt, agentId });
  const t = s.opts.thresholds(entry.queue);
  const waitMs = waitOf(e, entry);
  c[how] += 1;
  c.maxWaitMs = Math.max(c.maxWaitMs, waitMs);
  if (how === 'answered') {
    c.answeredWaitMs += waitMs;
    if (waitMs <= t.serviceLevelSec * 1000) c.answeredWithinSl += 1;
  }
  if (how === 'abandoned' && waitMs < t.shortAbandonSec * 1000) c.shortAbandoned += 1;
}

function enter(s: FoldState, e: KpiEvent): void {
  const queue = e.queue;
  if (!queue || !s.opts.includes(e.at)) return;
  const before = s.open.get(e.interactionId);
  if (before?.queue === queue) return;
  // Moved to another queue while still waiting there (a transfer by rule): the first
  // queue lost it to a rule, not to the caller.
  if (before) settle(s, e.interactionId, before, 'timedOut', e);
  countersOf(s, queue, { interactionId: e.interactionId, queue, queuedAt: e.at, agentId: null }).offered += 1;
  s.open.set(e.interactionId, { queue, queuedAt: e.at });
}

/**
 * Applies one call event. Events of one interaction must come in seq order; events of
 * different interactions in any order. Applying an event twice changes nothing.
 */
export function applyEvent(s: FoldState, e: KpiEvent): void {
  let seen = s.applied.get(e.interactionId);
  if (seen?.has(e.seq)) return;
  if (!seen) s.applied.set(e.interactionId, (seen = new Set()));
  seen.add(e.seq);
  if (e.type === 'enter-queue') return enter(s, e);
  const entry = s.open.get(e.interactionId);
  const how = entry && settlementOf(e);
  if (entry && how) settle(s, e.interactionId, entry, how, e);
}

export function foldEvents(events: Iterable<KpiEvent>, opts: FoldOptions): FoldState {
  const s = createFold(opts);
  for (const e of events) applyEvent(s, e);
  return s;
}

/** Entries still waiting, per queue, with the oldest entry time (epoch ms). */
export function openEntries(s: FoldState): Map<string, { count: number; oldest: number }> {
  const out = new Map<string, { count: number; oldest: number }>();
  for (const { queue, queuedAt } of s.open.values()) {
    const cur = out.get(queue);
    out.set(queue, cur ? { count: cur.count + 1, oldest: Math.min(cur.oldest, queuedAt) } : { count: 1, oldest: queuedAt });
  }
  return out;
}
