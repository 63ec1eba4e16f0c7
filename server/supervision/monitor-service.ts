import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import type { CallControl } from '../telephony/index.js';
import type { AuditActor, AuditService } from '../audit/index.js';
import type { LiveCall } from '../acd/index.js';
import type { LiveMonitors } from './live-monitors.js';
import { MonitorMedia } from './monitor-media.js';
import type { MonitorMode } from './monitor-plan.js';
import { toView, type EndReason, type MonitorNotice, type MonitorSession, type MonitorView, type StartMonitor } from './schemas.js';
import * as errors from './errors.js';

/** How long the supervisor's desk phone rings before the monitoring gives up. */
const SUPERVISOR_RING_SEC = 30;

export interface MonitorDeps {
  calls: CallControl;
  live: LiveMonitors;
  /** The live call of an interaction (the ACD's record: its state and its agent's leg). */
  liveCall(interactionId: string): Promise<LiveCall | undefined>;
  agentExtension(agentId: number): Promise<string | undefined>;
  /** The interaction an agent is on now, if on a call. */
  agentCall(agentId: number): Promise<string | undefined>;
  audit: AuditService;
  bus: LiveBus;
  log: Logger;
}

/** Who asks: the signed-in user and the address the request came from. */
export interface Requester extends AuditActor {
  ip?: string;
}

const SYSTEM: AuditActor = { userId: null, username: 'system' };

/**
 * Listen, whisper and barge. A session rings the supervisor's own desk phone; once it is
 * answered the leg is connected by mode (monitor-media.ts). Events of one session run one
 * after another (`serial`), never interleaved, whether they come from the API or from ARI.
 */
export class MonitorService {
  readonly media: MonitorMedia;
  private readonly chains = new Map<number, Promise<unknown>>();

  constructor(private readonly d: MonitorDeps) {
    this.media = new MonitorMedia({ calls: d.calls, live: d.live });
  }

  async list(): Promise<MonitorView[]> {
    const sessions = await Promise.all((await this.d.live.activeIds()).map((id) => this.d.live.get(id)));
    return sessions.filter((s): s is MonitorSession => !!s).sort((a, b) => a.id - b.id).map(toView);
  }

  async get(id: number): Promise<MonitorView> {
    const s = await this.d.live.get(id);
    if (!s) throw errors.monitorNotFound(id);
    return toView(s);
  }

  async start(req: StartMonitor, by: Requester): Promise<MonitorView> {
    const interactionId = await this.target(req);
    const call = await this.d.liveCall(interactionId);
    if (!call || call.state === 'ended') throw errors.callNotFound(interactionId);
    if (call.state !== 'connected' || !call.agentChannel || !call.agentId) throw errors.callNotConnected(call.id, call.state);
    if ((await this.d.agentExtension(call.agentId)) === req.extension) throw errors.ownPhone();
    if ((await this.list()).some((m) => m.extension === req.extension)) throw errors.supervisorBusy(req.extension);
    // Only the instance holding the Stasis app can ring and bridge.
    if (!this.d.calls.isUp()) throw errors.telephonyDown();
    const id = await this.d.live.nextId();
    const s: MonitorSession = {
      id, interactionId: call.id, agentId: call.agentId, agentChannel: call.agentChannel, extension: req.extension,
      supervisorChannel: `sup-${id}-${call.id}`, state: 'ringing', mode: req.mode, snoopSeq: 0,
      actorId: by.userId, actorName: by.username, startedAt: new Date().toISOString(),
    };
    await this.d.live.save(s);
    await Promise.all([this.d.live.link(s.supervisorChannel, id), this.d.live.link(s.agentChannel, id)]);
    await this.serial(id, () => this.ring(s, call));
    await this.d.audit.record({ actor: by, ip: by.ip, action: 'monitor.start', target: { type: 'interaction', id: s.interactionId }, after: this.trace(s) });
    await this.notify('started', s);
    return toView(s);
  }

  private async target(req: StartMonitor): Promise<string> {
    if (req.interactionId) return req.interactionId;
    if (!req.agentId) throw errors.noTarget();
    const id = await this.d.agentCall(req.agentId);
    if (!id) throw errors.agentNotOnCall(req.agentId);
    return id;
  }

  private async ring(s: MonitorSession, call: LiveCall): Promise<void> {
    try {
      await this.d.calls.createChannel({
        channelId: s.supervisorChannel, endpoint: `PJSIP/${s.extension}`, appArgs: `monitor,${s.id}`,
        // The supervisor's leg joins the call's linkedid: its CDR shows up with the call's.
        originator: call.callerChannel, callerId: `"Monitor ${call.callerNumber.replace(/[^0-9+]/g, '')}" <${s.extension}>`,
      });
      await this.d.calls.dial(s.supervisorChannel, undefined, SUPERVISOR_RING_SEC);
    } catch (err) {
      this.d.log.warn({ monitorId: s.id, extension: s.extension, err: (err as Error).message }, 'supervisor phone not called');
      // endNow, not end: this already runs in the session's chain, which end would wait behind.
      await this.endNow(s.id, 'failed', SYSTEM);
      throw errors.phoneUnreachable(s.extension, (err as Error).message);
    }
  }

  /** The supervisor picked up: connect the leg by the mode asked for (perhaps changed while ringing). */
  async answered(id: number): Promise<void> {
    await this.serial(id, async () => {
      if (!(await this.d.live.move(id, 'ringing', 'active'))) return;
      const answeredAt = new Date().toISOString();
      await this.d.live.patch(id, { answeredAt });
      const s = (await this.d.live.get(id)) as MonitorSession;
      try {
        const now = await this.media.connect(s);
        this.d.log.info({ monitorId: id, interactionId: s.interactionId, mode: now.mode }, 'supervisor connected');
        await this.notify('answered', now);
      } catch (err) {
        // The agent's leg vanished under us (the call ended while the phone rang, say).
        this.d.log.warn({ monitorId: id, err: (err as Error).message }, 'monitoring could not be connected');
        await this.endNow(id, 'call-ended', SYSTEM);
      }
    });
  }

  async changeMode(id: number, mode: MonitorMode, by: Requester): Promise<MonitorView> {
    return this.serial(id, async () => {
      const s = await this.d.live.get(id);
      if (!s) throw errors.monitorNotFound(id);
      if (s.state === 'ended') throw errors.monitorEnded(id);
      if (s.mode === mode) return toView(s);
      if (s.state === 'active' && !this.d.calls.isUp()) throw errors.telephonyDown();
      // While the phone still rings only the wish changes; answering sets it up.
      const now = s.state === 'active' ? await this.media.switchTo(s, mode) : { ...s, mode };
      if (s.state !== 'active') await this.d.live.patch(id, { mode });
      await this.d.audit.record({
        actor: by, ip: by.ip, action: 'monitor.mode', target: { type: 'interaction', id: s.interactionId },
        before: { sessionId: id, mode: s.mode }, after: { sessionId: id, mode },
      });
      await this.notify('mode', now);
      return toView(now);
    });
  }

  /** Ends a session (API, hang-ups, the call's end); ending one that has ended is a no-op. */
  async end(id: number, reason: EndReason, by: Requester): Promise<MonitorView> {
    return this.serial(id, () => this.endNow(id, reason, by));
  }

  private async endNow(id: number, reason: EndReason, by: Requester): Promise<MonitorView> {
    const s = await this.d.live.get(id);
    if (!s) throw errors.monitorNotFound(id);
    if (s.state === 'ended' || !(await this.d.live.move(id, s.state, 'ended'))) return toView(s);
    const ended: MonitorSession = { ...s, state: 'ended', endedAt: new Date().toISOString(), endReason: reason };
    await this.d.live.patch(id, { endedAt: ended.endedAt, endReason: reason });
    await this.media.teardown(s).catch((err: Error) => this.d.log.warn({ monitorId: id, err: err.message }, 'monitor teardown incomplete'));
    await this.d.live.finish(s);
    this.d.log.info({ monitorId: id, interactionId: s.interactionId, reason }, 'monitoring ended');
    await this.d.audit.record({
      actor: by, ip: by.ip, action: 'monitor.stop', target: { type: 'interaction', id: s.interactionId },
      before: { sessionId: id, mode: s.mode, state: s.state }, after: { ...this.trace(ended), reason },
    });
    await this.notify('ended', ended);
    return toView(ended);
  }

  /** A channel of ours is gone: the supervisor's leg, a snoop, or the agent's leg listened to. */
  async channelGone(channelId: string): Promise<void> {
    for (const id of await this.d.live.forChannel(channelId)) {
      const s = await this.d.live.get(id);
      if (!s || s.state === 'ended') continue;
      if (channelId === s.supervisorChannel) {
        const owner: AuditActor = { userId: s.actorId, username: s.actorName };
        await this.end(id, s.state === 'ringing' ? 'not-answered' : 'supervisor-hung-up', owner);
      } else if (channelId === s.agentChannel) {
        await this.end(id, 'call-ended', SYSTEM);
      } else if (channelId === s.snoop) {
        // A snoop we did not hang up ourselves dies with the leg it listens to.
        await this.end(id, 'call-ended', SYSTEM);
      }
    }
  }

  /** After (re)connecting to ARI: sessions whose legs vanished during the gap are ended. */
  async reconcile(channelIds: Set<string>): Promise<void> {
    for (const id of await this.d.live.activeIds()) {
      const s = await this.d.live.get(id);
      if (!s) continue;
      if (!channelIds.has(s.supervisorChannel) || !channelIds.has(s.agentChannel)) await this.end(id, 'lost', SYSTEM);
    }
  }

  /** Who sees the session in the audit log: enough to find it again, nothing more. */
  private trace(s: MonitorSession): Record<string, unknown> {
    return { sessionId: s.id, agentId: s.agentId, extension: s.extension, mode: s.mode, state: s.state };
  }

  private async notify(kind: MonitorNotice['kind'], s: MonitorSession): Promise<void> {
    const notice: MonitorNotice = { kind, ...toView(s) };
    await this.d.bus.publish('monitor', notice);
  }

  private serial<T>(id: number, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.chains.set(id, next);
    void next.catch(() => undefined).finally(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
    return next;
  }
}
