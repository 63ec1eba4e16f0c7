import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import {
  applyEvent, createFold, dayOf, dayKey, emptyCounters, fromNotice, thresholdsOf,
  type FoldState, type Interval, type KpiEvent, type KpiRepository, type KpiThresholds, type NoticeLike, type QueueCounters,
} from '../reports/kpi/index.js';

export interface DayKpisDeps {
  repo: KpiRepository;
  bus: LiveBus;
  timeZone: string;
  log: Logger;
  now?: () => number;
}

/**
 * Today's per-queue counters: folded from MariaDB, then kept current from the live
 * 'calls' topic. The subscription starts before the read and its events wait in a buffer
 * until the read is folded; the fold counts an event once however often it sees it, so
 * an event both in MariaDB and in the buffer is not counted twice, and none is lost.
 */
export class DayKpis {
  private state: FoldState | undefined;
  private day: Interval | undefined;
  private buffer: KpiEvent[] | undefined;
  private loading: Promise<void> | undefined;
  private thresholds = new Map<string, KpiThresholds>();
  private readonly listeners = new Set<(queue: string) => void>();
  private readonly now: () => number;

  constructor(private readonly d: DayKpisDeps) {
    this.now = d.now ?? Date.now;
  }

  /** Subscribes and folds today from MariaDB; later calls wait for the first. */
  start(): Promise<void> {
    this.loading ??= this.subscribeAndLoad();
    return this.loading;
  }

  private async subscribeAndLoad(): Promise<void> {
    this.buffer = [];
    await this.d.bus.subscribe('calls', (p) => this.onEvent(fromNotice(p as NoticeLike)));
    await this.load();
  }

  /** Called for every queued change of counters (a queue name). */
  onChange(listener: (queue: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Thresholds changed (an admin edited a queue): today is folded again from MariaDB,
   * so its service level counts every call against the new T, as a report would.
   */
  async setThresholds(next: Map<string, KpiThresholds>): Promise<void> {
    const changed = [...next].some(([q, t]) => JSON.stringify(this.thresholds.get(q)) !== JSON.stringify(t));
    this.thresholds = next;
    if (changed && this.state) await this.load();
  }

  private thresholdsFor = (queue: string): KpiThresholds => this.thresholds.get(queue) ?? thresholdsOf(undefined);

  private async load(): Promise<void> {
    const day = dayOf(this.d.timeZone, this.now());
    this.buffer ??= [];
    const state = createFold({ thresholds: this.thresholdsFor, includes: (at) => at >= day.from && at < day.to });
    for (const e of await this.d.repo.eventsForEntries(day)) applyEvent(state, e);
    this.state = state;
    this.day = day;
    const pending = this.buffer;
    this.buffer = undefined;
    for (const e of pending) this.apply(e);
    this.d.log.info({ day: dayKey(this.d.timeZone, day.from), queues: state.queues.size }, 'day KPIs folded from MariaDB');
  }

  private onEvent(e: KpiEvent): void {
    if (this.buffer) this.buffer.push(e);
    else if (this.state) this.apply(e);
  }

  private apply(e: KpiEvent): void {
    this.rollOver(Math.max(e.at, this.now()));
    if (!this.state) return;
    applyEvent(this.state, e);
    if (e.queue) for (const l of this.listeners) l(e.queue);
  }

  /** After midnight the new day starts empty: nothing of it can be in MariaDB yet that we have not seen. */
  private rollOver(at: number): void {
    if (!this.day || at < this.day.to) return;
    const day = dayOf(this.d.timeZone, at);
    this.day = day;
    this.state = createFold({ thresholds: this.thresholdsFor, includes: (t) => t >= day.from && t < day.to });
  }

  /** Today's counters of a queue (zeros when nothing happened yet). */
  counters(queue: string): QueueCounters {
    this.rollOver(this.now());
    return this.state?.queues.get(queue) ?? emptyCounters();
  }

  today(): string {
    return dayKey(this.d.timeZone, this.now());
  }
}
