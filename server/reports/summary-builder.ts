import type { Logger } from '../core/logger.js';
import { BUCKET_SEC, bucketOf, foldCells, handlingsOf, type InteractionFacts } from './kpi/cells.js';
import { closedSlices } from './kpi/agent-time.js';
import { isRepeat } from './kpi/handling.js';
import { dayStarts } from './kpi/grains.js';
import type { KpiThresholds } from './kpi/thresholds.js';
import type { RawRepository } from './raw-repository.js';
import type { SummaryRepository } from './summary-repository.js';

export interface SummaryBuilderDeps {
  raw: RawRepository;
  summary: SummaryRepository;
  thresholds(queue: string): KpiThresholds;
  fcrWindowMs: number;
  /** config.timezone: a re-fold also rebuilds the local days it overlaps (the day rollups). */
  timeZone: string;
  log: Logger;
}

/** Marks read per round; a round re-folds them and removes them. */
const MARKS_PER_ROUND = 500;
/** Adjacent marked buckets are re-folded together, up to a day of them. */
const MAX_RUN = 96;

/** Runs of adjacent buckets: [from, to) in epoch seconds. */
function runsOf(buckets: readonly number[]): Array<{ from: number; to: number }> {
  const runs: Array<{ from: number; to: number }> = [];
  for (const b of [...buckets].sort((x, y) => x - y)) {
    const last = runs[runs.length - 1];
    if (last && last.to === b && (last.to - last.from) / BUCKET_SEC < MAX_RUN) last.to = b + BUCKET_SEC;
    else runs.push({ from: b, to: b + BUCKET_SEC });
  }
  return runs;
}

const DEADLOCK = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/**
 * Another instance (or the job) may re-fold the same buckets at the same moment; MariaDB then
 * picks a victim. A re-fold is idempotent, so the victim simply runs again.
 */
async function retryOnDeadlock<T>(fn: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries || !DEADLOCK.has((err as { code?: string }).code ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 50 * i + Math.random() * 100));
    }
  }
}

/**
 * Keeps the summary equal to a fold of the raw rows. A bucket is re-folded whole from the
 * raw rows (never patched by deltas), so folding it again after any late row gives the same
 * cells as folding it once after every row arrived.
 */
export class SummaryBuilder {
  /** Refreshes run one after another in a process: two at once re-folding the same buckets deadlocked MariaDB. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: SummaryBuilderDeps) {}

  /** Re-folds the entries made in buckets [from, to) (epoch seconds). */
  async refoldEntries(from: number, to: number): Promise<number> {
    const ids = await this.d.raw.enteredBetween(from * 1000, to * 1000);
    const [events, rows, wrap] = await Promise.all([this.d.raw.events(ids), this.d.raw.facts(ids), this.d.raw.wrapMs(ids)]);
    const handlings = handlingsOf(events);
    const keys = [...new Set([...handlings.keys()].map((id) => rows.get(id)?.callerKey).filter((k): k is string => !!k))];
    const earlier = await this.d.raw.answeredByCallers(keys, from * 1000 - this.d.fcrWindowMs, to * 1000);
    const facts = new Map<string, InteractionFacts>();
    for (const id of ids) {
      const r = rows.get(id);
      const h = handlings.get(id);
      const repeat = !!h && isRepeat({ interactionId: id, callerKey: r?.callerKey ?? null, enteredAt: h.queuedAt }, earlier, this.d.fcrWindowMs);
      facts.set(id, { did: r?.did ?? '', wrapMs: wrap.get(id) ?? 0, repeat });
    }
    const cells = foldCells(events, handlings, {
      thresholds: this.d.thresholds, includes: (at) => at >= from * 1000 && at < to * 1000, facts: (id) => facts.get(id),
    });
    await this.d.summary.replaceCells(from, to, cells, this.d.thresholds, dayStarts(this.d.timeZone, from * 1000, to * 1000));
    return ids.length;
  }

  /** Re-folds one agent's state time in buckets [from, to) (epoch seconds). */
  async refoldAgent(agentId: number, from: number, to: number): Promise<void> {
    const changes = await this.d.raw.stateChanges(agentId, from * 1000, to * 1000);
    const slices = closedSlices(changes, from * 1000, to * 1000);
    await this.d.summary.replaceAgentTime(agentId, from, to, slices, dayStarts(this.d.timeZone, from * 1000, to * 1000));
  }

  /**
   * Re-folds what the triggers marked: agents first (a wrap-up that ended changes its
   * interaction's handling, so it marks that entry's buckets), then entry buckets, only
   * those inside `range` (epoch seconds) when given. Returns the buckets re-folded.
   */
  refreshDirty(range?: { from: number; to: number }): Promise<number> {
    const run = this.chain.then(() => retryOnDeadlock(() => this.refreshDirtyNow(range)));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async refreshDirtyNow(range?: { from: number; to: number }): Promise<number> {
    await this.refreshAgents();
    let done = 0;
    for (;;) {
      const marks = await this.d.summary.dirtyBuckets(MARKS_PER_ROUND, range);
      if (!marks.length) return done;
      for (const run of runsOf(marks.map((m) => m.bucket))) await this.refoldEntries(run.from, run.to);
      await this.d.summary.clearBuckets(marks);
      done += marks.length;
      if (marks.length < MARKS_PER_ROUND) return done;
    }
  }

  private async refreshAgents(): Promise<void> {
    for (;;) {
      const marks = await this.d.summary.dirtyAgents(MARKS_PER_ROUND);
      if (!marks.length) return;
      const byAgent = new Map<number, number[]>();
      for (const m of marks) byAgent.set(m.agentId, [...(byAgent.get(m.agentId) ?? []), m.at]);
      for (const [agentId, ats] of byAgent) await this.refreshAgent(agentId, Math.min(...ats), Math.max(...ats));
      await this.d.summary.clearAgents(marks);
      if (marks.length < MARKS_PER_ROUND) return;
    }
  }

  /** Changes at [first, last] (epoch ms) alter the segments from the change before to the change after. */
  private async refreshAgent(agentId: number, first: number, last: number): Promise<void> {
    const [a, b] = await Promise.all([this.d.raw.neighbours(agentId, first), this.d.raw.neighbours(agentId, last)]);
    const from = bucketOf(a.before?.at ?? first);
    const to = bucketOf(b.after?.at ?? last) + BUCKET_SEC;
    await this.refoldAgent(agentId, from, to);
    // A change may end a wrap-up (the one before it, or one between the marks): the handling
    // of that wrap-up's call changed with it.
    const wrapped = await this.d.raw.wrapUpsBetween(agentId, a.before?.at ?? first, last);
    if (wrapped.length) await this.d.summary.markBuckets(await this.d.raw.entryBuckets(wrapped));
  }
}
