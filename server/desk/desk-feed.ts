import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import type { AgentService } from '../agents/index.js';
import type { AgentStateUpdate, DeviceUpdate } from '../agents/schemas.js';
import type { CallEventNotice } from '../interactions/index.js';
import type { CardService } from './card-service.js';

export type DeskSend = (event: string, data: unknown) => void;
interface DeskPush { agentId?: number; kind?: string; interactionId?: string }

// Pushes the desk room makes itself; everything else on the topic comes from call control.
const OWN_KINDS = new Set(['card', 'wrap-up-saved']);

// Call events the desk shows for the call it has on screen.
const CALL_EVENTS = new Set(['connect', 'ring-no-answer', 'complete', 'abandon', 'end', 'wrap-up', 'hold', 'resume', 'recording-paused', 'recording-resumed']);

/**
 * One agent's live feed: state changes, the screen pop when the desk phone starts to
 * ring, what happens to that call, and pushes from call control. Each page subscribes on
 * the instance it is connected to, so the card is built where it is shown.
 */
export class DeskFeed {
  constructor(private readonly d: { bus: LiveBus; agents: AgentService; cards: CardService; log: Logger }) {}

  async open(agentId: number, send: DeskSend): Promise<() => void> {
    // The phone the agent works on; state updates name it again when a hot-desk log-in moves it.
    let phone = (await this.d.agents.get(agentId)).phone;
    const unsubscribers = await Promise.all([
      this.d.bus.subscribe('devices', (p) => {
        const u = p as DeviceUpdate;
        if (u.extension === phone) send('device', { extension: u.extension, registered: u.registered, deviceState: u.deviceState });
      }),
      this.d.bus.subscribe('agents', (p) => {
        const u = p as AgentStateUpdate;
        if (u.agentId !== agentId) return;
        if (u.phone) phone = u.phone;
        send('state', { state: u.state, since: u.since, pauseReason: u.pauseReason ?? null, interactionId: u.interactionId ?? null });
      }),
      this.d.bus.subscribe('calls', (p) => void this.callEvent(agentId, p as CallEventNotice, send)),
      this.d.bus.subscribe('desk', (p) => void this.deskPush(agentId, p as DeskPush, send)),
    ]);
    // Subscribed first, then the snapshot: a change in between is sent twice, never lost.
    await this.snapshot(agentId, send);
    return () => unsubscribers.forEach((u) => u());
  }

  /** The page's starting point: the agent now, and the card of the call it is busy with. */
  async snapshot(agentId: number, send: DeskSend): Promise<void> {
    try {
      const agent = await this.d.agents.get(agentId);
      const live = await this.d.agents.liveState(agentId);
      const card = live.interactionId ? await this.d.cards.get(live.interactionId) : undefined;
      send('snapshot', { agent, interactionId: live.interactionId ?? null, card: card ?? null });
    } catch (err) {
      this.d.log.warn({ agentId, err: (err as Error).message }, 'desk snapshot failed');
    }
  }

  /**
   * Pushes meant for this desk: its own (a new card, a saved wrap-up) under their names,
   * call control's as 'control'. A transfer ringing this agent is its screen pop.
   */
  private async deskPush(agentId: number, push: DeskPush, send: DeskSend): Promise<void> {
    if (push.agentId !== agentId || typeof push.kind !== 'string') return;
    if (OWN_KINDS.has(push.kind)) return send(push.kind, push);
    // The target's phone is ringing for it; the agent who transfers is never ringing then.
    if (push.kind === 'transfer-ringing' && push.interactionId && ['reserved', 'ringing'].includes((await this.d.agents.liveState(agentId)).state)) {
      await this.popCard(push.interactionId, new Date().toISOString(), send);
    }
    send('control', push);
  }

  private async popCard(interactionId: string, at: string, send: DeskSend): Promise<void> {
    const card = await this.d.cards.get(interactionId).catch((err: Error) => {
      this.d.log.warn({ interactionId, err: err.message }, 'screen pop card failed');
      return undefined;
    });
    send('offer', { interactionId, at, card: card ?? null });
  }

  private async callEvent(agentId: number, n: CallEventNotice, send: DeskSend): Promise<void> {
    if (n.agentId !== agentId) return;
    // The screen pop, built (or read from the cache) as the desk phone is asked to ring:
    // an ACD offer, a callback, or the agent's own click to dial.
    if (n.type === 'offer' || n.type === 'callback-offer' || n.type === 'dial') return this.popCard(n.interactionId, n.at, send);
    if (CALL_EVENTS.has(n.type) || n.type.startsWith('transfer')) send('call', { interactionId: n.interactionId, type: n.type, at: n.at, data: n.data ?? null });
  }
}
