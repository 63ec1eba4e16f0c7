import type { AcdDeps, AcdService } from '../acd-service.js';
import type { LiveCall } from '../live-calls.js';
import type { CallState } from '../call-state.js';
import { canMove } from '../call-state.js';
import type { LiveBus } from '../../live/live-bus.js';
import type { PbxManager } from '../../telephony/index.js';
import type { CallEventType } from '../../interactions/index.js';

/** Where a transfer goes, once resolved (stored on the live call as JSON). */
export type ResolvedTarget =
  | { type: 'agent'; agentId: number; number: string; extension: string }
  | { type: 'queue'; queue: string }
  | { type: 'number'; number: string; endpoint: string; internal: boolean };

export type TransferKind = 'blind' | 'attended' | 'conference';
/** Who asked: a button on the page, or the desk phone's own transfer key (REFER). */
export type RequestedBy = 'page' | 'phone';

/** Payload on the live 'desk' topic: one agent's page hears what happens to its call. */
export interface DeskNotice {
  agentId: number;
  kind: string;
  interactionId: string;
  state: CallState;
  [more: string]: unknown;
}

export const bridgeOf = (callId: string) => `call-${callId}`;
export const targetOf = (call: LiveCall): ResolvedTarget | undefined => (call.xferTo ? (JSON.parse(call.xferTo) as ResolvedTarget) : undefined);
export const handledBy = (call: LiveCall): number[] => (call.handledBy ? call.handledBy.split(',').map(Number) : []);

/** What every part of call control shares: the ACD's dependencies plus the bus and AMI. */
export class ControlContext {
  constructor(
    readonly d: AcdDeps,
    readonly acd: AcdService,
    readonly bus: LiveBus,
    readonly pbx: PbxManager,
  ) {}

  get live() {
    return this.d.live;
  }

  get calls() {
    return this.d.calls;
  }

  /** The one compare-and-set of call states for call control (transitions in call-state.ts). */
  async move(call: LiveCall, to: CallState, from: CallState = call.state): Promise<boolean> {
    if (!canMove(from, to) || !(await this.live.move(call.id, from, to))) return false;
    this.d.log.info({ interactionId: call.id, from, to }, 'call state');
    call.state = to;
    return true;
  }

  /** A call event on the interaction, and the same news pushed to the desks concerned. */
  async record(call: LiveCall, type: CallEventType, data: Record<string, unknown>, desks: Array<number | undefined>): Promise<void> {
    await this.d.interactions.event(call.id, type, { queue: call.queue || undefined, agentId: call.agentId, data });
    for (const agentId of new Set(desks.filter((a): a is number => typeof a === 'number'))) {
      // The event's own `kind` (blind, attended) must not hide the notice's kind (the event type).
      const notice: DeskNotice = { ...data, transferKind: data.kind, agentId, kind: type, interactionId: call.id, state: call.state };
      await this.bus.publish('desk', notice);
    }
  }

  /** Ends an open hold: its length joins the total, on the live call and the interaction. */
  async closeHold(call: LiveCall, now = Date.now()): Promise<number> {
    if (!call.heldAt) return 0;
    const heldMs = Math.max(0, now - Date.parse(call.heldAt));
    call.holdMs = (call.holdMs ?? 0) + heldMs;
    call.heldAt = undefined;
    await this.live.patch(call.id, { holdMs: call.holdMs });
    await this.live.clear(call.id, ['heldAt']);
    await this.d.interactions.update(call.id, { holdMs: call.holdMs });
    return heldMs;
  }

  /** Starts a hold: the caller leaves the bridge (hears nobody, is heard by nobody) for music. */
  async holdCaller(call: LiveCall): Promise<void> {
    if (!call.heldAt) {
      call.heldAt = new Date().toISOString();
      await this.live.patch(call.id, { heldAt: call.heldAt });
    }
    await this.calls.removeFromBridge(bridgeOf(call.id), [call.callerChannel]);
    await this.calls.startMoh(call.callerChannel);
  }

  /** The caller back in the call's bridge with whoever is there. */
  async unholdCaller(call: LiveCall): Promise<void> {
    await this.calls.stopMoh(call.callerChannel);
    await this.calls.addToBridge(bridgeOf(call.id), [call.callerChannel]);
  }

  /**
   * The agent who had the call is done with it: its leg is forgotten first (so its
   * hang-up is not taken for the end of the call), then hung up, and the agent goes to
   * wrap-up. The interaction keeps its id; only this agent's handle ends.
   */
  async releaseHandlingAgent(call: LiveCall, beforeHangup?: () => Promise<void>): Promise<{ agentId?: number; talkMs: number }> {
    const { agentId, agentChannel } = call;
    await this.live.clear(call.id, ['agentId', 'agentChannel']);
    call.agentId = undefined;
    call.agentChannel = undefined;
    if (beforeHangup) await beforeHangup();
    if (agentChannel) await this.calls.hangup(agentChannel);
    const talkMs = call.answeredAt ? Date.now() - Date.parse(call.answeredAt) : 0;
    if (agentId) await this.acd.completion.releaseAgent(agentId, call.queue, true, talkMs);
    return { agentId, talkMs };
  }

  /** The target of a transfer takes the call over: it becomes the call's agent leg. */
  async adoptTarget(call: LiveCall): Promise<void> {
    const target = targetOf(call);
    const agentId = target?.type === 'agent' ? target.agentId : undefined;
    const list = handledBy(call);
    if (agentId && list[list.length - 1] !== agentId) list.push(agentId);
    call.agentId = agentId;
    call.agentChannel = call.xferChannel;
    call.handledBy = list.join(',') || undefined;
    await this.live.patch(call.id, { agentId, agentChannel: call.xferChannel, handledBy: call.handledBy });
    if (!agentId) await this.live.clear(call.id, ['agentId']);
    await this.forgetTarget(call);
    await this.d.interactions.update(call.id, { agentId: agentId ?? null, handledBy: list });
  }

  /** The transfer is over (done, failed or cancelled): its fields leave the live call. */
  async forgetTarget(call: LiveCall): Promise<void> {
    await this.live.clear(call.id, ['xferChannel', 'xferTo', 'xferKind', 'xferBy', 'xferAgentId', 'xferAnsweredAt', 'referChannel', 'replacesChannel']);
    call.xferChannel = call.xferTo = call.xferKind = call.xferBy = call.xferAnsweredAt = call.referChannel = call.replacesChannel = undefined;
    call.xferAgentId = undefined;
  }
}
