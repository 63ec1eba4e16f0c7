import { addCounters, emptyCounters, type QueueCounters } from './counters.js';
import { foldEvents, type EntryRef, type KpiEvent } from './fold.js';
import { handlingOf, type Handling } from './handling.js';
import type { KpiThresholds } from './thresholds.js';
import type { HandlingKpis } from './query.js';

// One summary cell: the counters of the entries made in one 15-minute bucket, in one queue,
// from one DID, answered by one agent (0: nobody). Every report adds cells up; no figure is
// stored as a ratio, so any grouping of cells gives exact KPIs.

export const BUCKET_SEC = 900;

export interface HandlingCounters {
  handled: number;
  talkMs: number;
  holdMs: number;
  wrapMs: number;
  transferred: number;
  repeatCalls: number;
  csatResponses: number;
  csatSum: number;
  csatTop: number;
}

export type CellCounters = QueueCounters & HandlingCounters;

export interface CellKey {
  bucket: number;
  queue: string;
  did: string;
  agentId: number;
}

export interface Cell extends CellKey, CellCounters {}

export const emptyHandling = (): HandlingCounters => ({ handled: 0, talkMs: 0, holdMs: 0, wrapMs: 0, transferred: 0, repeatCalls: 0, csatResponses: 0, csatSum: 0, csatTop: 0 });

export function addHandling(a: HandlingCounters, b: HandlingCounters): HandlingCounters {
  return {
    handled: a.handled + b.handled, talkMs: a.talkMs + b.talkMs, holdMs: a.holdMs + b.holdMs, wrapMs: a.wrapMs + b.wrapMs,
    transferred: a.transferred + b.transferred, repeatCalls: a.repeatCalls + b.repeatCalls,
    csatResponses: a.csatResponses + b.csatResponses, csatSum: a.csatSum + b.csatSum, csatTop: a.csatTop + b.csatTop,
  };
}

export const addCells = (a: CellCounters, b: CellCounters): CellCounters => ({ ...addCounters(a, b), ...addHandling(a, b) });
export const emptyCell = (): CellCounters => ({ ...emptyCounters(), ...emptyHandling() });

export const bucketOf = (atMs: number): number => Math.floor(atMs / 1000 / BUCKET_SEC) * BUCKET_SEC;

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

export function handlingKpisOf(h: HandlingCounters): HandlingKpis {
  return {
    handled: h.handled, talkMs: h.talkMs, holdMs: h.holdMs, wrapMs: h.wrapMs,
    ahtSec: h.handled > 0 ? (h.talkMs + h.holdMs + h.wrapMs) / h.handled / 1000 : null,
    transferred: h.transferred, transferRate: ratio(h.transferred, h.handled),
    repeatCalls: h.repeatCalls, fcr: h.handled > 0 ? 1 - h.repeatCalls / h.handled : null,
    csatResponses: h.csatResponses, csatMean: ratio(h.csatSum, h.csatResponses), csatTopShare: ratio(h.csatTop, h.csatResponses),
  };
}

/** What the builder knows of an interaction beyond its events. */
export interface InteractionFacts {
  did: string;
  /** After-call work of its handling agent (wrap_up time in the agent state log). */
  wrapMs: number;
  /** A repeat call within the FCR window (handling.ts isRepeat). */
  repeat: boolean;
}

export interface CellFoldOptions {
  thresholds(queue: string): KpiThresholds;
  /** Whether an entry made at this time (epoch ms) is counted: the buckets being folded. */
  includes(at: number): boolean;
  facts(interactionId: string): InteractionFacts | undefined;
}

const keyText = (k: CellKey) => `${k.bucket}|${k.queue}|${k.did}|${k.agentId}`;

/**
 * Folds call events (each interaction's in seq order) into cells: the queue counters with
 * the fold every figure uses (fold.ts), the handling figures with handling.ts.
 */
export function foldCells(events: readonly KpiEvent[], handlings: ReadonlyMap<string, Handling>, o: CellFoldOptions): Cell[] {
  const cells = new Map<string, Cell>();
  const cellOf = (ref: { interactionId: string; queue: string; queuedAt: number; agentId: number | null }): Cell => {
    const key: CellKey = { bucket: bucketOf(ref.queuedAt), queue: ref.queue, did: o.facts(ref.interactionId)?.did ?? '', agentId: ref.agentId ?? 0 };
    let c = cells.get(keyText(key));
    if (!c) cells.set(keyText(key), (c = { ...key, ...emptyCell() }));
    return c;
  };
  foldEvents(events, { thresholds: o.thresholds, includes: o.includes, cell: (ref: EntryRef) => cellOf(ref) });
  for (const [id, h] of handlings) {
    if (!o.includes(h.queuedAt)) continue;
    const f = o.facts(id);
    const c = cellOf({ interactionId: id, queue: h.queue, queuedAt: h.queuedAt, agentId: h.agentId });
    c.handled += 1;
    c.talkMs += h.talkMs;
    c.holdMs += h.holdMs;
    c.wrapMs += f?.wrapMs ?? 0;
    if (h.transferred) c.transferred += 1;
    if (f?.repeat) c.repeatCalls += 1;
    if (h.csat !== null) {
      // In the entry's bucket and queue like the rest (counted once), but with the agent the
      // caller rated: after a transfer that is the last agent, not the one who answered first.
      const rated = cellOf({ interactionId: id, queue: h.queue, queuedAt: h.queuedAt, agentId: h.csatAgentId });
      rated.csatResponses += 1;
      rated.csatSum += h.csat;
      if (h.csat >= 4) rated.csatTop += 1;
    }
  }
  return [...cells.values()];
}

/** Handling of each interaction of a batch of events sorted by interaction then seq. */
export function handlingsOf(events: readonly KpiEvent[]): Map<string, Handling> {
  const out = new Map<string, Handling>();
  let start = 0;
  for (let i = 1; i <= events.length; i++) {
    if (i < events.length && events[i]?.interactionId === events[start]?.interactionId) continue;
    const h = handlingOf(events.slice(start, i));
    if (h) out.set(events[start]!.interactionId, h);
    start = i;
  }
  return out;
}
