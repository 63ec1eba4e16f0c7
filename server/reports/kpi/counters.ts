import type { KpiThresholds } from './thresholds.js';

/**
 * What the fold counts per queue and interval. Every offered entry ends up in exactly one
 * of answered, abandoned, timedOut, callbacks, exitedWithKey, or is still waiting.
 * `abandoned` includes `shortAbandoned`; the rates take them out (KPIS.md).
 */
export interface QueueCounters {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  timedOut: number;
  callbacks: number;
  exitedWithKey: number;
  /** Answered with a wait of at most serviceLevelSec. */
  answeredWithinSl: number;
  /** Sum of the waits of answered calls, for ASA. */
  answeredWaitMs: number;
  /** Longest wait of an entry settled in the interval (answered, abandoned or otherwise). */
  maxWaitMs: number;
}

export const emptyCounters = (): QueueCounters => ({
  offered: 0, answered: 0, abandoned: 0, shortAbandoned: 0, timedOut: 0, callbacks: 0, exitedWithKey: 0,
  answeredWithinSl: 0, answeredWaitMs: 0, maxWaitMs: 0,
});

/** The derived figures; a ratio with nothing to divide by is null, never 0 or 100. */
export interface QueueKpis extends QueueCounters {
  /** answered within T / answered, 0..1. */
  serviceLevel: number | null;
  /** answered within T / (answered + abandoned − short abandons + timed out), 0..1. */
  serviceLevelInclusive: number | null;
  /** (abandoned − short abandons) / (offered − short abandons), 0..1. */
  abandonRate: number | null;
  /** Mean wait of answered calls, seconds. */
  asaSec: number | null;
  maxWaitSec: number;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

export function kpisOf(c: QueueCounters): QueueKpis {
  const realAbandons = c.abandoned - c.shortAbandoned;
  return {
    ...c,
    serviceLevel: ratio(c.answeredWithinSl, c.answered),
    serviceLevelInclusive: ratio(c.answeredWithinSl, c.answered + realAbandons + c.timedOut),
    abandonRate: ratio(realAbandons, c.offered - c.shortAbandoned),
    asaSec: c.answered > 0 ? c.answeredWaitMs / c.answered / 1000 : null,
    maxWaitSec: c.maxWaitMs / 1000,
  };
}

/** Counters of several queues (or intervals) added up: a total line, a week from its days. */
export function addCounters(a: QueueCounters, b: QueueCounters): QueueCounters {
  return {
    offered: a.offered + b.offered, answered: a.answered + b.answered, abandoned: a.abandoned + b.abandoned,
    shortAbandoned: a.shortAbandoned + b.shortAbandoned, timedOut: a.timedOut + b.timedOut, callbacks: a.callbacks + b.callbacks,
    exitedWithKey: a.exitedWithKey + b.exitedWithKey, answeredWithinSl: a.answeredWithinSl + b.answeredWithinSl,
    answeredWaitMs: a.answeredWaitMs + b.answeredWaitMs, maxWaitMs: Math.max(a.maxWaitMs, b.maxWaitMs),
  };
}

/** Where a figure stands against its target: the wallboard's green, amber and red. */
export type Standing = 'good' | 'warn' | 'bad' | 'none';

/** Service level at or above target is good; within 10 points under it, warn; further, bad. */
export function serviceLevelStanding(sl: number | null, t: KpiThresholds): Standing {
  if (sl === null) return 'none';
  const pct = sl * 100;
  if (pct >= t.serviceLevelTargetPct) return 'good';
  return pct >= t.serviceLevelTargetPct - 10 ? 'warn' : 'bad';
}

/** A caller waiting up to T is good, up to 2T warn, longer bad. */
export function waitStanding(waitSec: number | null, t: KpiThresholds): Standing {
  if (waitSec === null) return 'none';
  if (waitSec <= t.serviceLevelSec) return 'good';
  return waitSec <= 2 * t.serviceLevelSec ? 'warn' : 'bad';
}

/** An abandon rate at or under target is good, up to twice the target warn, more bad. */
export function abandonStanding(rate: number | null, t: KpiThresholds): Standing {
  if (rate === null) return 'none';
  const pct = rate * 100;
  if (pct <= t.abandonTargetPct) return 'good';
  return pct <= 2 * t.abandonTargetPct ? 'warn' : 'bad';
}
