import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import type { AgentView } from '../agents/schemas.js';
import { thresholdsOf, type KpiThresholds } from '../reports/kpi/index.js';
import type { DayKpis } from './day-kpis.js';
import { buildSnapshot, type FloorCall, type FloorSnapshot } from './floor-snapshot.js';

export interface WallboardDeps {
  queues: { list(): Promise<Array<{ name: string } & Partial<KpiThresholds>>> };
  agents: { listWithDevices(): Promise<AgentView[]>; inQueue(queue: string): Promise<Array<{ id: number }>> };
  /** The ACD's live calls in Redis. */
  calls: { activeIds(): Promise<string[]>; get(id: string): Promise<{ id: string; state: string; queue: string; callerNumber: string; queuedAt?: string; agentId?: number; answeredAt?: string } | undefined> };
  day: DayKpis;
  bus: LiveBus;
  timeZone: string;
  log: Logger;
  /** Pushes are gathered for this long, so a burst of call events makes one snapshot. */
  debounceMs?: number;
  /** A snapshot is pushed at least this often while someone watches (a missed event heals). */
  refreshEveryMs?: number;
}

export type SnapshotListener = (s: FloorSnapshot) => void;

/**
 * The floor as supervisors see it. Snapshots are built on demand and pushed to listeners
 * (wallboard pages, the alert evaluator) after call, agent and device events.
 */
export class WallboardService {
  private readonly listeners = new Set<SnapshotListener>();
  private watching: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private periodic: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly d: WallboardDeps) {}

  async snapshot(): Promise<FloorSnapshot> {
    const queues = await this.d.queues.list();
    await this.d.day.setThresholds(new Map(queues.map((q) => [q.name, thresholdsOf(q)])));
    await this.d.day.start();
    const [agents, calls, members] = await Promise.all([
      this.d.agents.listWithDevices(),
      this.liveCalls(),
      Promise.all(queues.map(async (q) => (await this.d.agents.inQueue(q.name)).map((a) => a.id))),
    ]);
    return buildSnapshot({
      now: Date.now(), day: this.d.day.today(), timeZone: this.d.timeZone, agents, calls,
      queues: queues.map((q, i) => ({ name: q.name, thresholds: thresholdsOf(q), members: members[i] ?? [], today: this.d.day.counters(q.name) })),
    });
  }

  private async liveCalls(): Promise<FloorCall[]> {
    const calls = await Promise.all((await this.d.calls.activeIds()).map((id) => this.d.calls.get(id)));
    return calls.filter((c) => !!c).map((c) => ({
      interactionId: c.id, state: c.state, queue: c.queue, callerNumber: c.callerNumber, queuedAt: c.queuedAt, agentId: c.agentId, answeredAt: c.answeredAt,
    }));
  }

  /** Listens for snapshots pushed after changes; returns the unsubscribe function. */
  async watch(listener: SnapshotListener): Promise<() => void> {
    this.listeners.add(listener);
    this.watching ??= this.startWatching();
    await this.watching;
    return () => this.listeners.delete(listener);
  }

  private async startWatching(): Promise<void> {
    const poke = () => this.schedule();
    await Promise.all([this.d.bus.subscribe('agents', poke), this.d.bus.subscribe('devices', poke)]);
    await this.d.day.start();
    this.d.day.onChange(poke);
    // Waiting callers change without changing the day's counters (a call entering the
    // queue counts, a caller moving from waiting to offering does not): every call event pokes.
    await this.d.bus.subscribe('calls', poke);
    this.periodic = setInterval(poke, this.d.refreshEveryMs ?? 10_000);
    this.periodic.unref();
  }

  /** Pushes a fresh snapshot to every listener now (after an admin edit, or for a test). */
  schedule(): void {
    if (this.timer || this.closed || !this.listeners.size) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.push();
    }, this.d.debounceMs ?? 200);
  }

  private async push(): Promise<void> {
    try {
      const snap = await this.snapshot();
      for (const l of this.listeners) l(snap);
    } catch (err) {
      this.d.log.warn({ err: (err as Error).message }, 'wallboard snapshot failed');
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.periodic);
  }
}
