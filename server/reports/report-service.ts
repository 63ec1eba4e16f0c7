import { emptyCounters, kpisOf, type KpiThresholds } from './kpi/index.js';
import type { KpiRow } from './kpi/query.js';
import type { KpiSource } from './kpi-source.js';
import { hoursOf, localDay, localHourLabel } from './local-time.js';
import { mergeByKey } from './merge-rows.js';
import { daysOf, parsePeriod, periodState, type Period } from './period.js';

/** Everything a printable report shows, as figures; the web layer turns it into a page, CSV or PDF. */
export interface Report {
  period: Period;
  /** A future period has no figures yet; a current one is not complete. */
  state: 'future' | 'current' | 'past';
  timeZone: string;
  generatedAt: number;
  /** Per queue name; empty when no queue had a call (the footnote then prints the defaults). */
  thresholds: Record<string, KpiThresholds>;
  total: KpiRow;
  queues: KpiRow[];
  agents: KpiRow[];
  /** Every hour of a daily report, every day of a weekly or monthly one, calls or not. */
  buckets: KpiRow[];
}

export interface ReportServiceDeps {
  kpis: KpiSource;
  timeZone: string;
  now?: () => number;
}

const zeroRow = (from: number, to: number, label: string): KpiRow => ({
  from, to, label, key: null, name: null, queue: kpisOf(emptyCounters()),
  handling: { handled: 0, talkMs: 0, holdMs: 0, wrapMs: 0, ahtSec: null, transferred: 0, transferRate: null, repeatCalls: 0, fcr: null, csatResponses: 0, csatMean: null, csatTopShare: null },
});

/** Builds reports from the KPI engine's tables only (KpiQuery -> KpiTable). */
export class ReportService {
  private readonly now: () => number;

  constructor(private readonly d: ReportServiceDeps) {
    this.now = d.now ?? Date.now;
  }

  get timeZone(): string {
    return this.d.timeZone;
  }

  /** Throws a 400 AppError for a period or date that does not exist. */
  async build(kind: string, value: string): Promise<Report> {
    const period = parsePeriod(kind, value);
    const now = this.now();
    const state = periodState(period, this.d.timeZone, now);
    const slots = this.slotsOf(period);
    const whole = zeroRow(slots[0]!.from, slots[slots.length - 1]!.to, period.key);
    if (state === 'future') {
      return { period, state, timeZone: this.d.timeZone, generatedAt: now, thresholds: {}, total: whole, queues: [], agents: [], buckets: [] };
    }
    const base = { from: period.from, to: period.to };
    const [queues, agents, buckets] = await Promise.all([
      this.d.kpis({ ...base, grain: period.grain, by: 'queue' }),
      this.d.kpis({ ...base, grain: period.grain, by: 'agent' }),
      this.d.kpis({ ...base, grain: period.bucketGrain, by: 'total' }),
    ]);
    // A range has no grain of its own: its day rows are added up per queue and per agent.
    const lines = (rows: KpiRow[]) => (period.kind === 'range' ? mergeByKey(rows, whole.from, whole.to, period.key) : rows);
    // The engine may leave out intervals without calls; the report shows every one.
    const byStart = new Map(buckets.rows.map((r) => [r.from, r]));
    return {
      period, state, timeZone: this.d.timeZone, generatedAt: now,
      thresholds: { ...buckets.thresholds, ...queues.thresholds },
      total: { ...queues.total, label: period.key },
      queues: lines(queues.rows), agents: lines(agents.rows),
      buckets: slots.map((s) => ({ ...(byStart.get(s.from) ?? zeroRow(s.from, s.to, s.label)), label: s.label })),
    };
  }

  private slotsOf(p: Period): Array<{ from: number; to: number; label: string }> {
    if (p.bucketGrain === 'hour') return hoursOf(localDay(this.d.timeZone, p.from)).map((h) => ({ ...h, label: localHourLabel(this.d.timeZone, h.from) }));
    return daysOf(p).map((day) => ({ ...localDay(this.d.timeZone, day), label: day }));
  }
}
