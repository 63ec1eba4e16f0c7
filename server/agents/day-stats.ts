import { dayOf, localMidnight } from '../core/time-zone.js';
import { AGENT_STATES, type AgentDay, type AgentState } from './schemas.js';
import type { StateLogEntry } from './state-log-repository.js';

// The agent's own day, from its state log (time in each state, per pause reason) and its
// answered calls (talk). Pure functions: the service reads the rows, these add them up.

/** [start, end) of a local calendar day (23 or 25 hours on DST days). */
export function dayBounds(date: string, timeZone: string): { start: Date; end: Date } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = dayOf(timeZone, localMidnight(timeZone, y, m, d));
  return { start: new Date(day.from), end: new Date(day.to) };
}

export interface StateTotals {
  stateMs: Record<AgentState, number>;
  /** Paused time by reason name. */
  pauseMs: Record<string, number>;
}

/**
 * Time in each state between `start` and `end` (end = now for today): the day opens in the
 * state of the last change before it (`before`) and switches at each entry.
 */
export function stateTotals(before: StateLogEntry | undefined, entries: StateLogEntry[], start: Date, end: Date): StateTotals {
  const stateMs = Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as Record<AgentState, number>;
  const pauseMs: Record<string, number> = {};
  let state: AgentState = before?.to ?? 'logged_out';
  let reason = before?.reason ?? undefined;
  let from = start.getTime();
  const close = (until: number) => {
    const ms = Math.max(0, Math.min(until, end.getTime()) - from);
    stateMs[state] += ms;
    if (state === 'paused') pauseMs[reason ?? 'unknown'] = (pauseMs[reason ?? 'unknown'] ?? 0) + ms;
  };
  for (const e of entries) {
    if (e.at.getTime() >= end.getTime()) break;
    close(e.at.getTime());
    state = e.to;
    reason = e.reason ?? undefined;
    from = Math.max(from, e.at.getTime());
  }
  close(end.getTime());
  return { stateMs, pauseMs };
}

const sec = (ms: number) => Math.round(ms / 100) / 10;

/** The day's figures; `paid` says which pause reasons are paid (an unknown reason counts as unpaid). */
export function agentDay(o: {
  agentId: number; date: string; timezone: string; totals: StateTotals; calls: number; talkMs: number; paid: (reason: string) => boolean;
}): AgentDay {
  const wrapUpMs = o.totals.stateMs.wrap_up;
  let paidMs = 0;
  let unpaidMs = 0;
  for (const [reason, ms] of Object.entries(o.totals.pauseMs)) {
    if (o.paid(reason)) paidMs += ms;
    else unpaidMs += ms;
  }
  return {
    agentId: o.agentId,
    date: o.date,
    timezone: o.timezone,
    callsHandled: o.calls,
    talkSec: sec(o.talkMs),
    wrapUpSec: sec(wrapUpMs),
    ahtSec: o.calls ? sec((o.talkMs + wrapUpMs) / o.calls) : null,
    stateSec: Object.fromEntries(Object.entries(o.totals.stateMs).map(([s, ms]) => [s, sec(ms)])),
    pauseSec: Object.fromEntries(Object.entries(o.totals.pauseMs).map(([r, ms]) => [r, sec(ms)])),
    pausePaidSec: sec(paidMs),
    pauseUnpaidSec: sec(unpaidMs),
  };
}
