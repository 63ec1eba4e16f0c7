import type { CallControl } from '../telephony/index.js';
import type { LiveMonitors } from './live-monitors.js';
import { planSwitch, type MonitorMode, type SupervisorBridge } from './monitor-plan.js';
import type { MonitorSession } from './schemas.js';

export const monitorBridgeId = (sessionId: number) => `mon-${sessionId}`;
export const callBridgeId = (interactionId: string) => `call-${interactionId}`;
export const snoopId = (sessionId: number, n: number) => `snoop-${sessionId}-${n}`;

/**
 * Puts the supervisor's leg where a mode wants it. The supervisor's leg always lives in a
 * small bridge of its own (mon-<id>) next to the current snoop, or in the call's bridge
 * for barge; switching modes swaps the snoop or moves the leg, never redials the phone.
 */
export class MonitorMedia {
  constructor(private readonly d: { calls: CallControl; live: LiveMonitors }) {}

  /** Sets up the supervisor's freshly answered leg for its mode. */
  async connect(s: MonitorSession): Promise<MonitorSession> {
    await this.d.calls.createBridge(monitorBridgeId(s.id));
    return this.switchTo(s, s.mode);
  }

  /** Runs the plan from what is set up now to `to`; returns the session as it is afterwards. */
  async switchTo(s: MonitorSession, to: MonitorMode): Promise<MonitorSession> {
    const old = s.snoop;
    let cur: MonitorSession = { ...s };
    for (const step of planSwitch(s.applied ?? null, to)) {
      if (step.op === 'snoop') {
        const id = snoopId(s.id, cur.snoopSeq + 1);
        // Linked before it exists: its StasisStart or an early hang-up must find its session.
        await this.d.live.link(id, s.id);
        await this.d.live.patch(s.id, { snoopSeq: cur.snoopSeq + 1 });
        await this.d.calls.snoop({ channelId: s.agentChannel, snoopId: id, spy: step.spy, whisper: step.whisper, appArgs: `monitor-snoop,${s.id}` });
        await this.d.calls.addToBridge(monitorBridgeId(s.id), [id]);
        cur = { ...cur, snoop: id, snoopSeq: cur.snoopSeq + 1 };
        await this.d.live.patch(s.id, { snoop: id });
      } else if (step.op === 'move-supervisor') {
        if (step.from) await this.d.calls.removeFromBridge(this.bridge(s, step.from), [s.supervisorChannel]);
        await this.d.calls.addToBridge(this.bridge(s, step.to), [s.supervisorChannel]);
      } else if (old) {
        // The session's snoop is updated first, so the old one's hang-up reads as planned.
        if (cur.snoop === old) await this.d.live.clear(s.id, ['snoop']);
        await this.d.calls.hangup(old);
        await this.d.live.unlink(old, s.id);
        if (cur.snoop === old) cur = { ...cur, snoop: undefined };
      }
    }
    await this.d.live.patch(s.id, { applied: to, mode: to });
    return { ...cur, applied: to, mode: to };
  }

  /** Tears down what the session made; each part may be gone already. */
  async teardown(s: MonitorSession): Promise<void> {
    if (s.snoop) await this.d.calls.hangup(s.snoop);
    await this.d.calls.hangup(s.supervisorChannel);
    await this.d.calls.destroyBridge(monitorBridgeId(s.id));
  }

  private bridge(s: MonitorSession, which: SupervisorBridge): string {
    return which === 'call' ? callBridgeId(s.interactionId) : monitorBridgeId(s.id);
  }
}
