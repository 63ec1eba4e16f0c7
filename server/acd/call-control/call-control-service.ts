import { randomUUID } from 'node:crypto';
import type { AriEvents, ChannelInfo } from '../../telephony/index.js';
import type { User } from '../../users/index.js';
import type { LiveCall } from '../live-calls.js';
import { isControllable } from '../call-state.js';
import type { ControlContext, ResolvedTarget } from './control-context.js';
import { Transfers } from './transfers.js';
import { Consultation } from './consult.js';
import { ClickToDial } from './click-to-dial.js';
import { ReferHandler } from './refer.js';
import { AttendedRefer } from './refer-attended.js';
import { dialTarget, dtmfDigits } from './dial-target.js';
import { agentUnavailable, callNotFound, noAgentForUser, notYourCall, unknownAgent, unknownQueue, wrongState } from './errors.js';

/** What a page or API client names as the target of a transfer. */
export type TargetRequest = { type: 'agent'; agent: string } | { type: 'queue'; queue: string } | { type: 'number'; number: string };

/** A call as the desk page sees it after an action. */
export interface CallView {
  interactionId: string;
  state: string;
  agentId: number | null;
  holdMs: number;
  recordingPaused: boolean;
  transfer: { kind: string; to: unknown; answered: boolean } | null;
}

/**
 * Call control for the call on an agent's desk phone: hold, transfers, conference, hang
 * up, recording pause, DTMF, click to dial. Every action runs in the call's own serial
 * chain (never interleaved with its telephony events) and is a call event on the
 * interaction, pushed to the agent's desk.
 */
export class CallControlService {
  private readonly transfers: Transfers;
  private readonly consult: Consultation;
  private readonly dialer: ClickToDial;
  private readonly refer: ReferHandler;
  private readonly attended: AttendedRefer;

  constructor(private readonly c: ControlContext) {
    this.transfers = new Transfers(c);
    this.consult = new Consultation(c, this.transfers);
    this.dialer = new ClickToDial(c);
    this.attended = new AttendedRefer(c);
    this.refer = new ReferHandler(c, this.transfers, (digits, call) => this.resolveDigits(digits, call), this.attended);
  }

  // ---- from the page or the API ------------------------------------------------------

  async view(callId: string, user: User): Promise<CallView> {
    return viewOf(await this.owned(callId, user));
  }

  hold(callId: string, user: User): Promise<CallView> {
    return this.act(callId, user, async (call) => {
      if (call.state !== 'connected' || !(await this.c.move(call, 'held'))) throw wrongState(call.state, 'hold');
      await this.c.holdCaller(call);
      await this.c.record(call, 'hold', { by: 'page' }, [call.agentId]);
    });
  }

  resume(callId: string, user: User): Promise<CallView> {
    return this.act(callId, user, async (call) => {
      if (call.state !== 'held' || !(await this.c.move(call, 'connected'))) throw wrongState(call.state, 'resume');
      const heldMs = await this.c.closeHold(call);
      await this.c.unholdCaller(call);
      await this.c.record(call, 'resume', { by: 'page', heldMs, holdMs: call.holdMs }, [call.agentId]);
    });
  }

  transfer(callId: string, user: User, req: { kind: 'blind' | 'attended'; target: TargetRequest }): Promise<CallView> {
    return this.act(callId, user, async (call) => {
      if (call.state !== 'connected' && call.state !== 'held') throw wrongState(call.state, 'transfer');
      const target = await this.resolve(req.target, call);
      if (req.kind === 'blind') return this.withReservation(target, () => this.transfers.blind(call, target, 'page'));
      return this.withReservation(target, () => this.consult.start(call, target, 'attended', 'page'));
    });
  }

  /** With a target: ring it and join everyone when it answers. Without: the consulted target joins. */
  conference(callId: string, user: User, req: { target?: TargetRequest }): Promise<CallView> {
    return this.act(callId, user, async (call) => {
      if (!req.target) return this.consult.join(call, 'page');
      if (call.state !== 'connected' && call.state !== 'held') throw wrongState(call.state, 'start a conference on');
      const target = await this.resolve(req.target, call);
      return this.withReservation(target, () => this.consult.start(call, target, 'conference', 'page'));
    });
  }

  completeTransfer(callId: string, user: User): Promise<CallView> {
    return this.act(callId, user, (call) => this.consult.complete(call, 'page'));
  }

  cancelTransfer(callId: string, user: User): Promise<CallView> {
    return this.act(callId, user, (call) => this.consult.cancel(call, 'page'));
  }

  /**
   * The agent's leg is hung up, as if the agent put the handset down: a plain call ends,
   * a consultation completes the transfer, a conference goes on without the agent.
   */
  hangup(callId: string, user: User): Promise<CallView> {
    return this.act(callId, user, async (call) => {
      if (!call.agentChannel || call.state === 'ended') throw wrongState(call.state, 'hang up');
      await this.c.record(call, 'hangup', { by: 'page' }, [call.agentId]);
      await this.c.calls.hangup(call.agentChannel);
    });
  }

  /** Pausing writes silence into the recording (card numbers); resuming records again. */
  recording(callId: string, user: User, pause: boolean): Promise<CallView> {
    return this.act(callId, user, async (call) => {
      if (!call.recordingPath || !isControllable(call.state)) throw wrongState(call.state, pause ? 'pause the recording of' : 'resume the recording of');
      await this.c.pbx.muteRecording(call.callerChannelName, pause);
      call.recordingPaused = pause ? '1' : undefined;
      if (pause) await this.c.live.patch(call.id, { recordingPaused: '1' });
      else await this.c.live.clear(call.id, ['recordingPaused']);
      await this.c.record(call, pause ? 'recording-paused' : 'recording-resumed', { by: 'page' }, [call.agentId]);
    });
  }

  dtmf(callId: string, user: User, digits: string): Promise<CallView> {
    const keys = dtmfDigits(digits);
    return this.act(callId, user, async (call) => {
      if (!isControllable(call.state)) throw wrongState(call.state, 'send DTMF on');
      await this.c.calls.sendDtmf(call.callerChannel, keys);
      // The digits themselves are not stored: they may be a card number or a PIN.
      await this.c.record(call, 'dtmf', { by: 'page', count: keys.length }, [call.agentId]);
    });
  }

  /** Click to dial from the agent's own desk (an admin or supervisor names the agent). */
  async dial(user: User, req: { number: string; agentId?: number }): Promise<{ interactionId: string }> {
    const target = dialTarget(req.number, this.c.d.callbacks.trunk);
    const policy = this.c.d.callbacks.policy;
    if (!target.internal) await policy.check(req.number, target.digits);
    const agent = user.role === 'agent' || req.agentId === undefined ? await this.agentOfUser(user) : await this.c.d.agents.get(req.agentId);
    // The slot under the outside-call caps is taken before the desk phone rings; the call's
    // end gives it back (call-completion.ts), as does a start that fails here.
    const id = randomUUID();
    if (!target.internal) await policy.admit({ callId: id, agentId: agent.id, leg: 'dial' }, req.number, target.digits);
    try {
      return { interactionId: await this.dialer.start(agent, target, user.username, id) };
    } catch (err) {
      await policy.release(id);
      throw err;
    }
  }

  // ---- from Asterisk (the Stasis handler, inside the call's serial chain) --------------

  /** A leg we created answered. */
  async legUp(callId: string, channel: ChannelInfo): Promise<void> {
    const call = await this.c.live.get(callId);
    if (!call) return this.c.calls.hangup(channel.id);
    await this.allowAriTransfer(channel.id);
    if (channel.id.startsWith('ctd-')) return this.dialer.answered(call, channel);
    return this.transfers.targetAnswered(call, channel);
  }

  /** A channel of a call went; true when call control handled it (else the ACD does). */
  async channelGone(call: LiveCall, channelId: string, reason: string, cause?: number): Promise<boolean> {
    if (call.direction === 'outbound' && (await this.dialer.legGone(call, channelId, cause))) return true;
    if (channelId === call.xferChannel) {
      await this.transfers.targetGone(call, channelId, reason);
      return true;
    }
    if (channelId === call.agentChannel) return this.consult.agentLegGone(call);
    return false;
  }

  /** The party of a phone's attended REFER entered the app (dialplan cc-refer-replaces). */
  async replacesJoined(callId: string, channel: ChannelInfo): Promise<void> {
    const call = await this.c.live.get(callId);
    if (!call || call.state === 'ended') return this.c.calls.hangup(channel.id);
    await this.attended.joined(call, channel);
  }

  /** The desk phone's transfer key (REFER) on one of our agent legs. */
  referred(callId: string, t: AriEvents['channelTransfer']): Promise<void> {
    return this.refer.handle(callId, t);
  }

  /**
   * Agent legs take REFERs through us: Asterisk's own transfer would move the caller out
   * of our bridge and the interaction would lose track of it.
   */
  async allowAriTransfer(channelId: string): Promise<void> {
    await this.c.calls.setVar(channelId, 'PJSIP_TRANSFER_HANDLING()', 'ari-only');
  }

  // ---- helpers ---------------------------------------------------------------------

  /** Runs the action in the call's chain; errors reach the caller (serial swallows them). */
  private async act(callId: string, user: User, fn: (call: LiveCall) => Promise<void>): Promise<CallView> {
    await this.owned(callId, user);
    let failure: unknown;
    await this.c.acd.serial(callId, async () => {
      const call = await this.c.live.get(callId);
      if (!call || call.state === 'ended') failure = callNotFound(callId);
      else await fn(call).catch((err: unknown) => (failure = err));
    });
    if (failure) throw failure;
    const after = await this.c.live.get(callId);
    if (!after) throw callNotFound(callId);
    return viewOf(after);
  }

  /** An agent may control only the call on its own desk phone; admins and supervisors any. */
  private async owned(callId: string, user: User): Promise<LiveCall> {
    const call = await this.c.live.get(callId);
    if (!call || call.state === 'ended') throw callNotFound(callId);
    if (user.role !== 'agent') return call;
    const agent = await this.agentOfUser(user);
    if (call.agentId !== agent.id && call.xferAgentId !== agent.id) throw notYourCall();
    return call;
  }

  private async agentOfUser(user: User): Promise<{ id: number; number: string; extension: string }> {
    const agent = await this.c.d.agents.byUser(user.id);
    if (!agent) throw noAgentForUser();
    return agent;
  }

  private async resolve(t: TargetRequest, call: LiveCall): Promise<ResolvedTarget> {
    if (t.type === 'queue') {
      if (!(await this.c.d.queues.get(t.queue))) throw unknownQueue(t.queue);
      return { type: 'queue', queue: t.queue };
    }
    if (t.type === 'number') {
      const d = dialTarget(t.number, this.c.d.callbacks.trunk);
      // The transfer leg counts against the transferring agent until it goes (transfers.ts) or the call ends.
      if (!d.internal) await this.c.d.callbacks.policy.admit({ callId: call.id, agentId: call.agentId ?? null, leg: 'xfer' }, t.number, d.digits);
      return { type: 'number', number: d.digits, endpoint: d.endpoint, internal: d.internal };
    }
    const agent = (await this.c.d.agents.listWithDevices()).find((a) => a.number === t.agent);
    if (!agent) throw unknownAgent(t.agent);
    // Reserved here, like an ACD offer, so the ACD cannot offer it another call meanwhile.
    if (!(await this.c.d.agents.move(agent.id, 'ready', 'reserved', { actor: 'transfer' }))) throw agentUnavailable(t.agent, agent.state);
    // The phone the agent is logged in on (hot-desking), not necessarily its own.
    return { type: 'agent', agentId: agent.id, number: agent.number, extension: agent.phone };
  }

  /** A phone's Refer-To: a ready agent's number or extension rings that agent, anything else is dialled. */
  private async resolveDigits(digits: string, call: LiveCall): Promise<ResolvedTarget> {
    const agent = (await this.c.d.agents.listWithDevices()).find((a) => (a.number === digits || a.phone === digits) && a.state === 'ready');
    if (agent) return this.resolve({ type: 'agent', agent: agent.number }, call);
    return this.resolve({ type: 'number', number: digits }, call);
  }

  /** A reserved target agent is freed again when the transfer cannot even start. */
  private async withReservation(target: ResolvedTarget, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (target.type === 'agent') await this.c.d.agents.move(target.agentId, 'reserved', 'ready', { actor: 'transfer' });
      throw err;
    }
  }
}

function viewOf(call: LiveCall): CallView {
  const held = call.heldAt ? Date.now() - Date.parse(call.heldAt) : 0;
  return {
    interactionId: call.id,
    state: call.state,
    agentId: call.agentId ?? null,
    holdMs: (call.holdMs ?? 0) + held,
    recordingPaused: call.recordingPaused === '1',
    transfer: call.xferTo ? { kind: call.xferKind ?? '', to: JSON.parse(call.xferTo) as unknown, answered: !!call.xferAnsweredAt } : null,
  };
}
