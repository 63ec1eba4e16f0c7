import type { Logger } from '../core/logger.js';
import type { RedisLease } from '../core/lease.js';
import type { FloorSnapshot, WallboardService } from '../wallboard/index.js';
import type { AlertService } from './alert-service.js';

/**
 * Runs evaluations on the one instance holding the alerts lease: on a tick (a wait grows,
 * a pause lasts, with no event to say so) and on every snapshot the wallboard pushes after
 * call and agent events. Other instances keep their hands off.
 */
export class AlertEvaluator {
  private held = false;
  private timer: NodeJS.Timeout | undefined;
  private unwatch: (() => void) | undefined;

  constructor(private readonly d: { alerts: AlertService; wallboard: WallboardService; lease: RedisLease; everyMs: number; log: Logger }) {}

  start(): void {
    this.d.lease.start({
      acquired: () => void this.begin(),
      lost: () => this.end(),
      standby: () => undefined,
    });
  }

  private async begin(): Promise<void> {
    this.held = true;
    this.timer = setInterval(() => void this.tick(), this.d.everyMs);
    this.timer.unref();
    await this.tick();
  }

  private end(): void {
    this.held = false;
    clearInterval(this.timer);
    this.unwatch?.();
    this.unwatch = undefined;
  }

  /**
   * Without an enabled rule or an active alert there is nothing to do, and the wallboard
   * is not asked for snapshots after every call event (a busy floor makes many).
   */
  private async tick(): Promise<void> {
    if (!this.held) return;
    try {
      const busy = await this.d.alerts.hasWork();
      if (busy && !this.unwatch) this.unwatch = await this.d.wallboard.watch((snap) => this.run(snap));
      if (!busy && this.unwatch) {
        this.unwatch();
        this.unwatch = undefined;
      }
      if (busy) this.run(await this.d.wallboard.snapshot());
    } catch (err) {
      this.d.log.warn({ err: (err as Error).message }, 'alert tick failed');
    }
  }

  private run(snap: FloorSnapshot): void {
    if (this.held) void this.d.alerts.evaluate(snap).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.end();
    await this.d.lease.stop();
  }
}
