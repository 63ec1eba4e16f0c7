import type { Logger } from '../core/logger.js';
import type { CallControl } from '../telephony/index.js';
import type { AgentService } from '../agents/index.js';
import type { AgentState } from '../agents/schemas.js';
import type { InteractionService } from '../interactions/index.js';
import type { LiveCall, LiveCalls } from './live-calls.js';
import type { RoutingStore } from './routing/routing-store.js';
import type { LiveCallbacks } from './callbacks/live-callbacks.js';

export interface SweeperDeps {
  /** Only the channel list: a channel Asterisk no longer has is a dead offer or a gone caller. */
  calls: Pick<CallControl, 'listChannels'>;
  agents: AgentService;
  interactions: InteractionService;
  live: LiveCalls;
  /** A callback's agent rings for a callback, not a call: its offer is looked up there. */
  callbacks: Pick<LiveCallbacks, 'get'>;
  routing: RoutingStore;
  /** Ends a call whose caller has gone (CallCompletion.end). */
  end(call: LiveCall, by: 'recovery'): Promise<void>;
  /** Offers a queue's calls again (Matcher.matchQueue). */
  rematch(queue: string): Promise<void>;
  /** Runs fn after the call's earlier event handlers (the Stasis handler's chain). */
  serial(key: string, fn: () => Promise<void>): Promise<void>;
  /** How old a reservation or ring must be before its missing channel counts as lost. */
  graceMs: number;
  log: Logger;
}

export interface Repair {
  kind: 'call-requeued' | 'call-ended' | 'agent-freed';
  callId?: string;
  agentId?: number;
}

const ON_OFFER: ReadonlySet<AgentState> = new Set(['reserved', 'ringing']);

/**
 * Repairs what a lost offer leaves behind. The reserve script marks the agent reserved
 * and takes the call out of every waiting set; the offer (agent leg, ringing) follows in
 * TypeScript. A server that dies in between, or an agent leg that vanishes without an
 * event, leaves an agent reserved for nothing and a caller in no set, forever. A sweep
 * puts such callers back at their place (same virtual time) and frees such agents.
 *
 * Runs only on the instance that holds the Stasis app (the ARI lease): it alone sees
 * channel events, so its per-call chain orders every repair after them, and a young
 * reservation (within graceMs) is never touched, being an offer still being set up.
 */
export class ReservationSweeper {
  private running = false;

  constructor(private readonly d: SweeperDeps) {}

  /** One pass over every active call, then every agent on offer. Returns what it repaired. */
  async sweep(now = Date.now()): Promise<Repair[]> {
    if (this.running) return [];
    this.running = true;
    try {
      const alive = new Set((await this.d.calls.listChannels()).map((c) => c.id));
      const repairs: Repair[] = [];
      for (const id of await this.d.live.activeIds()) {
        await this.d.serial(id, async () => void repairs.push(...(await this.checkCall(id, alive, now))));
      }
      for (const a of await this.d.agents.listWithDevices()) {
        if (!ON_OFFER.has(a.state)) continue;
        const key = (await this.d.agents.liveState(a.id)).interactionId ?? `agent-${a.id}`;
        await this.d.serial(key, async () => {
          const r = await this.checkAgent(a.id, alive, now);
          if (r) repairs.push(r);
        });
      }
      return repairs;
    } finally {
      this.running = false;
    }
  }

  /** A call taken out of its sets for an offer that no longer exists. */
  private async checkCall(id: string, alive: Set<string>, now: number): Promise<Repair[]> {
    const call = await this.d.live.get(id);
    if (!call || (call.state !== 'waiting' && call.state !== 'offering')) return [];
    if (call.state === 'offering' && call.agentChannel && alive.has(call.agentChannel)) return [];
    const offeredTo = await this.d.routing.offeredTo(id);
    // Waiting and reserved for nobody: it sits in its waiting sets.
    if (call.state === 'waiting' && offeredTo === undefined) return [];
    const agentId = call.agentId ?? offeredTo;
    if (agentId !== undefined && (await this.offerIsYoung(agentId, id, now))) return [];
    if (!alive.has(call.callerChannel)) {
      this.d.log.warn({ interactionId: id, agentId, state: call.state }, 'stuck reservation: caller gone, call ended');
      await this.d.end(call, 'recovery');
      return [{ kind: 'call-ended', callId: id, agentId }];
    }
    if (call.state === 'offering') {
      if (!(await this.d.live.move(id, 'offering', 'waiting'))) return [];
      await this.d.live.clear(id, ['agentId', 'agentChannel']);
    }
    if (!(await this.d.routing.requeue(id))) await this.reenqueue(call);
    await this.d.interactions.event(id, 'recovered', { queue: call.queue, agentId, data: { repair: 'stuck-reservation', state: call.state } });
    this.d.log.warn({ interactionId: id, agentId, queue: call.queue, state: call.state }, 'stuck reservation: caller back in its place');
    await this.d.rematch(call.queue);
    return [{ kind: 'call-requeued', callId: id, agentId }];
  }

  /** An agent reserved or ringing, for longer than the grace, without a live offer channel. */
  private async checkAgent(agentId: number, alive: Set<string>, now: number): Promise<Repair | undefined> {
    const st = await this.d.agents.liveState(agentId);
    if (!ON_OFFER.has(st.state) || now - Date.parse(st.since) < this.d.graceMs) return undefined;
    const call = st.interactionId ? await this.d.live.get(st.interactionId) : undefined;
    // Call control rings agents too: a transfer target (its xfer leg), a click to dial (the agent's own leg first).
    const ringsFor = call?.state === 'offering' || call?.state === 'agent-dialing';
    const offerLive = (ringsFor && call.agentId === agentId && !!call.agentChannel && alive.has(call.agentChannel))
      || (call?.xferAgentId === agentId && !!call.xferChannel && alive.has(call.xferChannel));
    if (offerLive || (await this.callbackOfferLive(st.interactionId, agentId, alive))) return undefined;
    // Reserve only ever takes a ready agent, and a pause cannot be asked during an offer: ready it was.
    if (!(await this.d.agents.move(agentId, st.state, 'ready', { actor: 'sweeper' }))) return undefined;
    this.d.log.warn({ agentId, interactionId: st.interactionId, from: st.state }, 'stuck reservation: agent ready again');
    if (call) await this.d.interactions.event(call.id, 'recovered', { queue: call.queue || undefined, agentId, data: { repair: 'agent-freed', from: st.state } });
    return { kind: 'agent-freed', agentId, callId: st.interactionId };
  }

  private async callbackOfferLive(interactionId: string | undefined, agentId: number, alive: Set<string>): Promise<boolean> {
    const cb = interactionId ? await this.d.callbacks.get(interactionId) : undefined;
    return cb?.state === 'offering' && cb.agentId === agentId && !!cb.agentChannel && alive.has(cb.agentChannel);
  }

  /** The agent is still reserved or ringing for this call, since less than the grace. */
  private async offerIsYoung(agentId: number, callId: string, now: number): Promise<boolean> {
    const st = await this.d.agents.liveState(agentId);
    return ON_OFFER.has(st.state) && st.interactionId === callId && now - Date.parse(st.since) < this.d.graceMs;
  }

  /** The routing record expired (a day at most): rebuilt from the live call, same score. */
  private async reenqueue(call: LiveCall): Promise<void> {
    await this.d.routing.enqueue(call.id, call.queue, call.score ?? Date.now(), call.minLevel ?? 1);
    for (const other of (call.alsoIn ?? '').split(',').filter(Boolean)) await this.d.routing.alsoQueue(call.id, other);
  }
}
