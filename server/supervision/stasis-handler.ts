import type { Logger } from '../core/logger.js';
import type { CallControl } from '../telephony/index.js';
import type { LiveMonitors } from './live-monitors.js';
import type { MonitorService } from './monitor-service.js';

const OURS = /^(sup|snoop)-(\d+)-/;
const BRIDGE = /^mon-(\d+)$/;

/** Where monitoring hears from Asterisk: the supervisor answering, and any of a session's legs going away. */
export class MonitorStasisHandler {
  constructor(private readonly d: { calls: CallControl; monitors: MonitorService; live: LiveMonitors; log: Logger }) {}

  attach(): void {
    const { calls, monitors, live } = this.d;
    calls.on('channelStateChange', async ({ channel }) => {
      if (channel.state !== 'Up' || !channel.id.startsWith('sup-')) return;
      for (const id of await live.forChannel(channel.id)) await monitors.answered(id);
    });
    // Both usually come for one hang-up; ending a session twice is a no-op.
    calls.on('stasisEnd', ({ channel }) => monitors.channelGone(channel.id));
    calls.on('channelDestroyed', ({ channel }) => monitors.channelGone(channel.id));
    calls.on('connected', () => this.reconcile());
  }

  /**
   * Events during a gap are lost: sessions whose legs vanished are ended, and legs or
   * bridges of ours that no live session owns (a server killed mid-session) are removed,
   * so nothing is left in Stasis.
   */
  async reconcile(): Promise<void> {
    const [channels, bridges] = await Promise.all([this.d.calls.listChannels(), this.d.calls.listBridges()]);
    await this.d.monitors.reconcile(new Set(channels.map((c) => c.id)));
    const active = new Set(await this.d.live.activeIds());
    for (const c of channels) {
      const m = OURS.exec(c.id);
      if (m && !active.has(Number(m[2]))) {
        this.d.log.warn({ channelId: c.id }, 'orphaned monitoring leg hung up');
        await this.d.calls.hangup(c.id);
      }
    }
    for (const b of bridges) {
      const m = BRIDGE.exec(b.id);
      if (m && !active.has(Number(m[1]))) await this.d.calls.destroyBridge(b.id);
    }
  }
}
