import { BUCKET_SEC } from './cells.js';
import type { AgentTimeKpis } from './query.js';

// Agent state times (KPIS.md) from the agent state log: each change opens a segment that
// the next change closes. Pure: the builder reads the rows, these split them into buckets.

export interface StateChange {
  /** Epoch ms. */
  at: number;
  /** The state entered (agent_state_log.to_state). */
  state: string;
  reason: string | null;
}

/** Milliseconds per bucket, state and pause reason ('' unless paused). */
export interface StateSlice {
  bucket: number;
  state: string;
  reason: string;
  ms: number;
}

const BUCKET_MS = BUCKET_SEC * 1000;

/**
 * Splits the closed segments of one agent's changes (sorted by time) into 15-minute buckets,
 * keeping only the parts inside [from, to). The last change opens a segment no change has
 * closed yet: it is left out here and added at query time up to "now" (openSlices).
 */
export function closedSlices(changes: readonly StateChange[], from: number, to: number): StateSlice[] {
  const out = new Map<string, StateSlice>();
  for (let i = 0; i + 1 < changes.length; i++) {
    const seg = changes[i] as StateChange;
    addSegment(out, seg, Math.max(seg.at, from), Math.min((changes[i + 1] as StateChange).at, to));
  }
  return [...out.values()];
}

/** The still-open segment of a last change, from its start up to `until`, inside [from, to). */
export function openSlices(last: StateChange, until: number, from: number, to: number): StateSlice[] {
  const out = new Map<string, StateSlice>();
  addSegment(out, last, Math.max(last.at, from), Math.min(until, to));
  return [...out.values()];
}

function addSegment(out: Map<string, StateSlice>, seg: StateChange, start: number, end: number): void {
  if (seg.state === 'logged_out') return;
  const reason = seg.state === 'paused' ? (seg.reason ?? 'unknown') : '';
  for (let t = start; t < end; ) {
    const bucket = Math.floor(t / BUCKET_MS) * BUCKET_MS;
    const stop = Math.min(end, bucket + BUCKET_MS);
    const key = `${bucket}|${seg.state}|${reason}`;
    const cur = out.get(key);
    if (cur) cur.ms += stop - t;
    else out.set(key, { bucket: bucket / 1000, state: seg.state, reason, ms: stop - t });
    t = stop;
  }
}

export const emptyAgentTime = (): AgentTimeKpis => ({
  loggedInMs: 0, readyMs: 0, ringingMs: 0, talkingMs: 0, holdMs: 0, wrapMs: 0, pausedMs: {}, paidPausedMs: 0, unpaidPausedMs: 0, occupancy: null, utilisation: null,
});

/** Adds state time to a row's figures; `paid` says which pause reasons are paid. */
export function addStateTime(a: AgentTimeKpis, state: string, reason: string, ms: number, paid: (reason: string) => boolean): void {
  a.loggedInMs += ms;
  if (state === 'ready') a.readyMs += ms;
  else if (state === 'reserved' || state === 'ringing') a.ringingMs += ms;
  else if (state === 'on_call') a.talkingMs += ms;
  else if (state === 'wrap_up') a.wrapMs += ms;
  else if (state === 'paused') {
    a.pausedMs[reason] = (a.pausedMs[reason] ?? 0) + ms;
    if (paid(reason)) a.paidPausedMs += ms;
    else a.unpaidPausedMs += ms;
  }
}

/**
 * Occupancy and utilisation (KPIS.md). The state log has no hold: an agent whose caller
 * is held stays on_call, so talkingMs already holds the hold time and talk + hold + ACW is
 * talkingMs + wrapMs. holdMs is the hold of the calls the agent handled, shown apart.
 */
export function withRatios(a: AgentTimeKpis): AgentTimeKpis {
  const busy = a.talkingMs + a.wrapMs;
  return {
    ...a,
    occupancy: busy + a.readyMs > 0 ? busy / (busy + a.readyMs) : null,
    utilisation: a.loggedInMs > 0 ? busy / a.loggedInMs : null,
  };
}
