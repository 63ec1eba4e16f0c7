import type { Logger } from '../core/logger.js';
import { thresholdsOf, type KpiThresholds } from './kpi/thresholds.js';
import { daysBetween, intervalsOf, parseDay, rangeOf, type LabelledInterval } from './kpi/grains.js';
import { openSlices } from './kpi/agent-time.js';
import { addCells, emptyCell, type CellCounters } from './kpi/cells.js';
import { buildRows, totalRow, type SummedTime } from './kpi/table.js';
import { DIMENSIONS, GRAINS, type KpiQuery, type KpiTable } from './kpi/query.js';
import type { RawRepository } from './raw-repository.js';
import type { SummaryRepository } from './summary-repository.js';
import type { SummaryBuilder } from './summary-builder.js';
import type { DayRollups } from './day-rollups.js';
import { invalidChoice, invalidDate, rangeTooLong, reversedRange } from './errors.js';

export interface KpiServiceDeps {
  raw: RawRepository;
  summary: SummaryRepository;
  builder: SummaryBuilder;
  queues: { list(): Promise<Array<{ name: string } & Partial<KpiThresholds>>> };
  timeZone: string;
  log: Logger;
  /** The per-day rollups; without them every per-agent read takes the 15-minute tables (the benchmark's old path). */
  days?: DayRollups;
  now?: () => number;
}

/** The longest report, in days: a year and a bit; 15-minute rows at most a month. */
export const MAX_DAYS = 400;
export const MAX_DAYS_15M = 31;

/** Checks a query; a bad one is refused with a 400 that says what is wrong. */
export function validateQuery(q: KpiQuery): void {
  if (!parseDay(q.from)) throw invalidDate('from', q.from);
  if (!parseDay(q.to)) throw invalidDate('to', q.to);
  if (!GRAINS.includes(q.grain)) throw invalidChoice('grain', q.grain, GRAINS);
  if (!DIMENSIONS.includes(q.by)) throw invalidChoice('by', q.by, DIMENSIONS);
  const days = daysBetween(q.from, q.to);
  if (days < 1) throw reversedRange(q.from, q.to);
  const max = q.grain === '15m' ? MAX_DAYS_15M : MAX_DAYS;
  if (days > max) throw rangeTooLong(days, max, q.grain);
}

/**
 * The KPI engine (KPIS.md): a query is answered from the 15-minute summary, after the
 * buckets it covers that a late row marked are re-folded from the raw rows.
 */
export class KpiService {
  private readonly now: () => number;

  constructor(private readonly d: KpiServiceDeps) {
    this.now = d.now ?? Date.now;
  }

  async query(q: KpiQuery): Promise<KpiTable> {
    validateQuery(q);
    const range = rangeOf(this.d.timeZone, q.from, q.to);
    const secs = { from: range.from / 1000, to: range.to / 1000 };
    const thresholds = await this.thresholds();
    await this.markChangedThresholds(thresholds, secs, q.queues);
    await this.d.builder.refreshDirty(secs);
    const intervals = intervalsOf(q.grain, this.d.timeZone, range);
    const starts = intervals.map((iv) => iv.from / 1000);
    const queues = q.queues?.length ? q.queues : undefined;
    const byDay = this.byDay(q, range, starts);
    // Agent time is not per queue: with a queue filter, only the agents of those queues' calls.
    const withTime = q.by === 'agent' || (q.by === 'total' && !queues);
    const [cells, totals, paid, allTime] = await Promise.all([
      this.d.summary.sums({ ...secs, starts, split: q.by, queues, byDay }),
      // Split by agent or DID leaves out cells without one: the total line needs its own sum.
      q.by === 'agent' || q.by === 'did' ? this.d.summary.sums({ ...secs, starts: [secs.from], split: 'total', queues }) : undefined,
      this.d.raw.paidReasons(),
      withTime && !queues ? this.agentTime(secs, starts, q.by === 'agent' ? 'each' : 'all', byDay) : undefined,
    ]);
    const agents = queues && q.by === 'agent' ? [...new Set(cells.map((c) => Number(c.key)))] : undefined;
    const time = agents ? await this.agentTime(secs, starts, agents, byDay) : allTime;
    const names = await this.namesOf(q.by, cells.map((c) => c.key).concat((time ?? []).map((t) => String(t.agentId))));
    const isPaid = (r: string) => paid.has(r);
    const rows = buildRows({ intervals, by: q.by, cells, time, paid: isPaid, nameOf: (k) => names.get(k) ?? k });
    const whole: LabelledInterval = { ...range, label: q.from === q.to ? q.from : `${q.from} – ${q.to}` };
    const sum = totals ? ((totals[0] as CellCounters | undefined) ?? emptyCell()) : cells.reduce<CellCounters>((a, c) => addCells(a, c), emptyCell());
    const total = totalRow(whole, sum, time, isPaid);
    const used = Object.fromEntries([...thresholds].filter(([name]) => !queues || queues.includes(name)));
    return { query: q, timeZone: this.d.timeZone, thresholds: used, rows, total, generatedAt: this.now() };
  }

  /**
   * Per-agent figures come from the day tables when the query's intervals are whole local
   * days (grains day, week, month) and the tables are current; the same sums as the
   * 15-minute tables, a tenth of the rows. The first query of a process starts the check.
   */
  private byDay(q: KpiQuery, range: { from: number; to: number }, starts: number[]): boolean {
    const days = this.d.days;
    if (!days || q.by !== 'agent') return false;
    if (!days.ready) void days.prepare();
    return days.serves(q.grain, range, starts);
  }

  /** The day rollups' check at boot (index.ts); a test or the benchmark may await it. */
  async prepareDays(): Promise<void> {
    await this.d.days?.prepare();
  }

  /** Re-folds whatever is marked (the job's tick), with the queues' current thresholds. */
  async refresh(): Promise<number> {
    await this.thresholds();
    return this.d.builder.refreshDirty();
  }

  private async thresholds(): Promise<Map<string, KpiThresholds>> {
    return new Map((await this.d.queues.list()).map((q) => [q.name, thresholdsOf(q)]));
  }

  /**
   * A queue whose T or short-abandon limit changed is counted again with the new ones, as the
   * wallboard does. Checking reads every cell of the range (1.5 s for a month at 5 million
   * interactions), so ranges already checked under the same thresholds are remembered: this
   * process re-folds only with the current thresholds, so they stay right until they change.
   */
  private async markChangedThresholds(all: Map<string, KpiThresholds>, secs: { from: number; to: number }, only?: string[]): Promise<void> {
    const signature = JSON.stringify([...all].sort(([a], [b]) => a.localeCompare(b)));
    if (signature !== this.checked.signature) this.checked = { signature, ranges: [] };
    if (this.checked.ranges.some((r) => r.from <= secs.from && r.to >= secs.to)) return;
    await this.markRange(all, secs, only);
    if (!only?.length) this.checked.ranges.push(secs);
  }

  private checked: { signature: string; ranges: Array<{ from: number; to: number }> } = { signature: '', ranges: [] };

  private async markRange(all: Map<string, KpiThresholds>, secs: { from: number; to: number }, only?: string[]): Promise<void> {
    for (const used of await this.d.summary.thresholdsCounted(secs.from, secs.to)) {
      if (only?.length && !only.includes(used.queue)) continue;
      const t = all.get(used.queue) ?? thresholdsOf(undefined);
      if (t.serviceLevelSec === used.slSec && t.shortAbandonSec === used.shortSec) continue;
      await this.d.summary.markBuckets(await this.d.summary.bucketsCountedOtherwise(used.queue, t, secs.from, secs.to));
    }
  }

  /** Closed state time from the summary, plus each agent's segment still running now. */
  private async agentTime(secs: { from: number; to: number }, starts: number[], agents: number[] | 'each' | 'all', byDay = false): Promise<SummedTime[]> {
    const [rows, last] = await Promise.all([this.d.summary.agentTime(secs.from, secs.to, starts, agents, byDay), this.d.raw.lastChanges()]);
    const now = this.now();
    for (const [agentId, change] of last) {
      if (Array.isArray(agents) && !agents.includes(agentId)) continue;
      for (const s of openSlices(change, now, secs.from * 1000, secs.to * 1000)) {
        rows.push({ interval: intervalIndex(starts, s.bucket), agentId: agents === 'all' ? 0 : agentId, state: s.state, reason: s.reason, ms: s.ms });
      }
    }
    return rows;
  }

  private async namesOf(by: KpiQuery['by'], keys: string[]): Promise<Map<string, string>> {
    if (by !== 'agent') return new Map();
    const ids = [...new Set(keys.map(Number).filter((n) => Number.isInteger(n) && n > 0))];
    const names = await this.d.raw.agentNames(ids);
    return new Map([...names].map(([id, name]) => [String(id), name]));
  }
}

/** The index of the last start <= bucket (the intervals are in order). */
function intervalIndex(starts: readonly number[], bucket: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= bucket) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
