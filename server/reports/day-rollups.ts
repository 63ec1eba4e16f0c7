import type { Logger } from '../core/logger.js';
import { dayOf } from '../core/time-zone.js';
import { dayStarts } from './kpi/grains.js';
import type { Grain } from './kpi/query.js';
import type { DayRollupRepository } from './day-rollup-repository.js';

export interface DayRollupsDeps {
  repo: DayRollupRepository;
  timeZone: string;
  log: Logger;
}

/** Grains whose intervals are whole local days. */
const WHOLE_DAYS = new Set<Grain>(['day', 'week', 'month']);

/** Days rebuilt per statement when everything is rebuilt: a month of cells at a time. */
const CHUNK_DAYS = 31;

/** Consecutive day lists of at most CHUNK_DAYS days each; each list ends where the next starts. */
export function chunksOfDays(days: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < days.length - 1; i += CHUNK_DAYS) out.push(days.slice(i, i + CHUNK_DAYS + 1));
  return out;
}

/**
 * Whether the per-day rollups (migration 0025) can answer for this process. Their days are
 * cut in a zone, and the migration could not know it: the first check after boot compares the
 * recorded zone with config.timezone and rebuilds everything from the 15-minute tables when it
 * differs, or when the tables are empty while the summary is not (an upgrade). Until then
 * reports read the 15-minute tables, which are always right, only slower.
 */
export class DayRollups {
  private current = false;
  private checking: Promise<void> | undefined;

  constructor(private readonly d: DayRollupsDeps) {}

  get ready(): boolean {
    return this.current;
  }

  /** Checks (once per process, again after a failure) and rebuilds when needed. */
  prepare(): Promise<void> {
    this.checking ??= this.check().catch((err: Error) => {
      this.checking = undefined;
      this.d.log.warn({ err: err.message }, 'per-day KPI rollups not checked; reports read the 15-minute summary meanwhile');
    });
    return this.checking;
  }

  /**
   * True when a query can read the day tables: they are current, and the range's ends and
   * every interval start are local-day starts. Day intervals are the local days themselves
   * (intervalsOf cuts them as dayStarts does); week and month starts are checked, a few per
   * query (cutting a year into days again would cost ~100 ms of Intl calls).
   */
  serves(grain: Grain, range: { from: number; to: number }, starts: readonly number[]): boolean {
    if (!this.current || !WHOLE_DAYS.has(grain)) return false;
    const isDayStart = (ms: number) => dayOf(this.d.timeZone, ms).from === ms;
    return isDayStart(range.from) && isDayStart(range.to) && (grain === 'day' || starts.every((s) => isDayStart(s * 1000)));
  }

  private async check(): Promise<void> {
    const { timeZone, repo, log } = this.d;
    const state = await repo.state();
    if (state.zone === timeZone && !state.missing) {
      this.current = true;
      return;
    }
    const why = state.zone === undefined || state.missing ? 'new or empty tables' : `time zone changed from ${state.zone}`;
    log.info({ from: state.zone ?? null, timeZone, why }, 'rebuilding the per-day KPI rollups from the 15-minute summary');
    const started = Date.now();
    let days = 0;
    const rebuilt = await repo.rebuildAll(timeZone, (span) => {
      const all = dayStarts(timeZone, span.from * 1000, span.to * 1000);
      days = Math.max(0, all.length - 1);
      return chunksOfDays(all);
    });
    if (rebuilt) log.info({ timeZone, days, ms: Date.now() - started }, 'per-day KPI rollups rebuilt');
    this.current = true;
  }
}
