// PROVISIONAL: a stand-in for the KPI engine (app.kpis.query), built by the `kpi` lane at
// the same time as the reports. It folds call_events with the existing fold for the queue
// counters only; handling figures are the answered count with zero times, agent state times
// are absent. Replace it with app.kpis at merge (reports/index.ts takes any KpiSource).
import {
  addCounters, emptyCounters, foldEvents, isValidTimeZone, kpisOf, thresholdsOf,
  type Interval, type KpiEvent, type KpiRepository, type KpiThresholds, type QueueCounters,
} from './kpi/index.js';
import type { HandlingKpis, KpiQuery, KpiRow, KpiTable } from './kpi/query.js';
import type { KpiSource } from './kpi-source.js';
import { hoursOf, localDay, localHourLabel } from './local-time.js';
import { isoWeekKey, parseDay } from './period.js';
import type { ProvisionalKpiRepository } from './provisional-kpi-repository.js';

export interface ProvisionalDeps {
  events: KpiRepository;
  agents: ProvisionalKpiRepository;
  timeZone: string;
  /** Per queue name: its thresholds (queue settings). */
  thresholds(): Promise<Map<string, Partial<KpiThresholds>>>;
  /** Per agent id: number and name. */
  agentNames(): Promise<Map<number, string>>;
}

interface Bucket extends Interval {
  label: string;
}

const handlingOf = (answered: number): HandlingKpis => ({
  handled: answered, talkMs: 0, holdMs: 0, wrapMs: 0, ahtSec: null, transferred: 0, transferRate: null,
  repeatCalls: 0, fcr: null, csatResponses: 0, csatMean: null, csatTopShare: null,
});

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = parseDay(from).getTime(), end = parseDay(to).getTime(); t <= end; t += 86400000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function groupKey(grain: KpiQuery['grain'], day: string): string {
  if (grain === 'month') return day.slice(0, 7);
  if (grain !== 'week') return day;
  const d = parseDay(day);
  return isoWeekKey(new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86400000));
}

function bucketsOf(q: KpiQuery, timeZone: string): Bucket[] {
  const days = daysBetween(q.from, q.to);
  if (q.grain === 'hour' || q.grain === '15m') {
    const step = q.grain === 'hour' ? 3600000 : 900000;
    return days.flatMap((day) => hoursOf(localDay(timeZone, day)).flatMap((h) => {
      const out: Bucket[] = [];
      for (let from = h.from; from < h.to; from += step) out.push({ from, to: Math.min(from + step, h.to), label: `${day} ${localHourLabel(timeZone, from)}` });
      return out;
    }));
  }
  const out: Bucket[] = [];
  for (const day of days) {
    const iv = localDay(timeZone, day);
    const key = groupKey(q.grain, day);
    const last = out[out.length - 1];
    if (last?.label === key) last.to = iv.to;
    else out.push({ ...iv, label: key });
  }
  return out;
}

const SEP = '\u0000';

/**
 * For the per-agent split, an entry answered by an agent is re-filed under `<agent>␀<queue>`
 * (so the queue's thresholds still apply) and entries no agent answered are left out.
 */
function byAgent(events: KpiEvent[], agentOf: Map<string, number>): KpiEvent[] {
  const answeredBy = new Map<string, number>();
  let entry: KpiEvent | undefined;
  for (const e of events) {
    if (e.type === 'enter-queue') entry = e;
    const agent = agentOf.get(`${e.interactionId}:${e.seq}`);
    if (e.type === 'connect' && entry && entry.interactionId === e.interactionId && agent !== undefined) answeredBy.set(`${entry.interactionId}:${entry.seq}`, agent);
  }
  return events.flatMap((e) => {
    if (e.type !== 'enter-queue') return [e];
    const agent = answeredBy.get(`${e.interactionId}:${e.seq}`);
    return agent === undefined ? [] : [{ ...e, queue: `${agent}${SEP}${e.queue}` }];
  });
}

function rowOf(b: Bucket, key: string | null, name: string | null, c: QueueCounters): KpiRow {
  return { from: b.from, to: b.to, label: b.label, key, name, queue: kpisOf(c), handling: handlingOf(c.answered) };
}

export function provisionalKpiSource(d: ProvisionalDeps): KpiSource {
  if (!isValidTimeZone(d.timeZone)) throw new Error(`unknown time zone ${d.timeZone}`);
  return async (q: KpiQuery): Promise<KpiTable> => {
    const buckets = bucketsOf(q, d.timeZone);
    const whole: Interval = { from: buckets[0]!.from, to: buckets[buckets.length - 1]!.to };
    const [settings, names, raw] = await Promise.all([d.thresholds(), d.agentNames(), d.events.eventsForEntries(whole)]);
    const only = q.queues ? new Set(q.queues) : undefined;
    let events = raw.filter((e) => e.type !== 'enter-queue' || !only || only.has(e.queue ?? ''));
    if (q.by === 'agent') events = byAgent(events, await d.agents.connectAgents(whole));
    const thresholds = (queue: string) => thresholdsOf(settings.get(queue.split(SEP).pop() ?? queue));
    const rows: KpiRow[] = [];
    let sum = emptyCounters();
    for (const b of buckets) {
      const fold = foldEvents(events, { thresholds, includes: (at) => at >= b.from && at < b.to });
      const perKey = new Map<string, QueueCounters>();
      for (const [queue, c] of fold.queues) {
        const key = q.by === 'agent' ? (queue.split(SEP)[0] ?? queue) : queue;
        perKey.set(key, addCounters(perKey.get(key) ?? emptyCounters(), c));
      }
      if (q.by === 'total') {
        const c = [...perKey.values()].reduce(addCounters, emptyCounters());
        rows.push(rowOf(b, null, null, c));
      } else {
        for (const [key, c] of [...perKey].sort(([a], [b2]) => a.localeCompare(b2, 'en', { numeric: true }))) {
          rows.push(rowOf(b, key, q.by === 'agent' ? (names.get(Number(key)) ?? key) : key, c));
        }
      }
      for (const c of perKey.values()) sum = addCounters(sum, c);
    }
    const used = new Set(raw.filter((e) => e.type === 'enter-queue' && e.queue).map((e) => e.queue as string));
    return {
      query: q, timeZone: d.timeZone, rows, generatedAt: Date.now(),
      thresholds: Object.fromEntries([...used].sort().map((queue) => [queue, thresholdsOf(settings.get(queue))])),
      total: rowOf({ ...whole, label: `${q.from}..${q.to}` }, null, null, sum),
    };
  };
}
