import { addCounters, emptyCounters, kpisOf, type QueueCounters } from './kpi/index.js';
import type { AgentTimeKpis, HandlingKpis, KpiRow } from './kpi/query.js';

// A custom range has no grain of its own in the engine's query: its per-queue and per-agent
// lines are the day rows of each key added up. Counts and times add; every ratio is
// computed again from the sums (KPIS.md), never averaged.

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

function counters(k: QueueCounters): QueueCounters {
  const { offered, answered, abandoned, shortAbandoned, timedOut, callbacks, exitedWithKey, answeredWithinSl, answeredWaitMs, maxWaitMs } = k;
  return { offered, answered, abandoned, shortAbandoned, timedOut, callbacks, exitedWithKey, answeredWithinSl, answeredWaitMs, maxWaitMs };
}

function handling(rows: HandlingKpis[]): HandlingKpis {
  const sum = (f: (h: HandlingKpis) => number) => rows.reduce((t, h) => t + f(h), 0);
  const handled = sum((h) => h.handled);
  const work = sum((h) => h.talkMs + h.holdMs + h.wrapMs);
  const responses = sum((h) => h.csatResponses);
  const repeatCalls = sum((h) => h.repeatCalls);
  const transferred = sum((h) => h.transferred);
  return {
    handled, talkMs: sum((h) => h.talkMs), holdMs: sum((h) => h.holdMs), wrapMs: sum((h) => h.wrapMs),
    ahtSec: handled > 0 ? work / handled / 1000 : null, transferred, transferRate: ratio(transferred, handled),
    repeatCalls, fcr: handled > 0 ? 1 - repeatCalls / handled : null, csatResponses: responses,
    csatMean: ratio(sum((h) => (h.csatMean ?? 0) * h.csatResponses), responses),
    csatTopShare: ratio(sum((h) => (h.csatTopShare ?? 0) * h.csatResponses), responses),
  };
}

function agentTime(rows: AgentTimeKpis[]): AgentTimeKpis | undefined {
  if (!rows.length) return undefined;
  const sum = (f: (a: AgentTimeKpis) => number) => rows.reduce((t, a) => t + f(a), 0);
  const pausedMs: Record<string, number> = {};
  for (const a of rows) for (const [reason, ms] of Object.entries(a.pausedMs)) pausedMs[reason] = (pausedMs[reason] ?? 0) + ms;
  const work = sum((a) => a.talkingMs + a.holdMs + a.wrapMs);
  const readyMs = sum((a) => a.readyMs);
  const loggedInMs = sum((a) => a.loggedInMs);
  return {
    loggedInMs, readyMs, ringingMs: sum((a) => a.ringingMs), talkingMs: sum((a) => a.talkingMs), holdMs: sum((a) => a.holdMs), wrapMs: sum((a) => a.wrapMs),
    pausedMs, paidPausedMs: sum((a) => a.paidPausedMs), unpaidPausedMs: sum((a) => a.unpaidPausedMs),
    occupancy: ratio(work, work + readyMs), utilisation: ratio(work, loggedInMs),
  };
}

/** One row per key (in first-seen order), spanning from..to, from rows of several intervals. */
export function mergeByKey(rows: KpiRow[], from: number, to: number, label: string): KpiRow[] {
  const groups = new Map<string, KpiRow[]>();
  for (const r of rows) {
    const key = r.key ?? '';
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const times = g.flatMap((r) => (r.agentTime ? [r.agentTime] : []));
    return {
      from, to, label, key: g[0]!.key, name: g[0]!.name,
      queue: kpisOf(g.map((r) => counters(r.queue)).reduce(addCounters, emptyCounters())),
      handling: handling(g.map((r) => r.handling)),
      ...(times.length ? { agentTime: agentTime(times) } : {}),
    };
  });
}
