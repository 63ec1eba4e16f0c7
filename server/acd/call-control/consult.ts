import type { LiveCall } from '../live-calls.js';
import { targetOf, type ControlContext, type RequestedBy, type ResolvedTarget, type TransferKind } from './control-context.js';
import type { Transfers } from './transfers.js';
import { wrongState } from './errors.js';

/**
 * Attended transfer and three-way conference, all in the call's one bridge: the caller
 * steps out on hold while the agent and the target talk there; completing puts the caller
 * back and takes the agent out, cancelling takes the target out, a conference keeps all three.
 */
export class Consultation {
  constructor(private readonly c: ControlContext, private readonly transfers: Transfers) {}

  /** The caller is held and the target rung; `conference` joins the caller once it answers. */
  async start(call: LiveCall, target: ResolvedTarget, kind: Exclude<TransferKind, 'blind'>, by: RequestedBy): Promise<void> {
    if (target.type === 'queue') throw wrongState(call.state, `make an ${kind} transfer to a queue`);
    if (!(await this.c.move(call, 'consulting'))) throw wrongState(call.state, 'consult');
    await this.c.holdCaller(call);
    await this.c.record(call, 'transfer', { kind, by, from: { agentId: call.agentId }, phase: 'consult' }, [call.agentId]);
    await this.transfers.ringTarget(call, target, kind, by);
  }

  /**
   * The agent hands the caller to the target and leaves. Before the target answers this
   * becomes a blind transfer (the caller waits on music for the answer).
   */
  async complete(call: LiveCall, by: RequestedBy): Promise<void> {
    if (call.state === 'conference') return this.agentLeavesConference(call, by);
    if (call.state !== 'consulting') throw wrongState(call.state, 'complete a transfer of');
    const from = call.agentId;
    const target = targetOf(call);
    if (!call.xferAnsweredAt) {
      if (!(await this.c.move(call, 'transferring'))) throw wrongState(call.state, 'complete a transfer of');
      await this.c.closeHold(call);
      await this.c.releaseHandlingAgent(call);
      await this.c.record(call, 'transfer-complete', { kind: 'blind', by, from: { agentId: from }, to: target, beforeAnswer: true }, [from, call.xferAgentId]);
      return;
    }
    if (!(await this.c.move(call, 'connected'))) throw wrongState(call.state, 'complete a transfer of');
    await this.c.closeHold(call);
    await this.c.releaseHandlingAgent(call);
    await this.c.adoptTarget(call);
    await this.c.unholdCaller(call);
    await this.c.record(call, 'transfer-complete', { kind: 'attended', by, from: { agentId: from }, to: target }, [from, call.agentId]);
  }

  /** Back to the caller: the target's leg is dropped (or, in a conference, leaves). */
  async cancel(call: LiveCall, by: RequestedBy): Promise<void> {
    if (call.state !== 'consulting' && call.state !== 'conference') throw wrongState(call.state, 'cancel a transfer of');
    const wasConference = call.state === 'conference';
    const target = targetOf(call);
    const targetAgent = call.xferAgentId;
    const answered = !!call.xferAnsweredAt;
    const leg = call.xferChannel;
    if (!(await this.c.move(call, 'connected'))) throw wrongState(call.state, 'cancel a transfer of');
    await this.c.forgetTarget(call);
    if (leg) await this.c.calls.hangup(leg);
    if (targetAgent) {
      if (answered) await this.c.acd.completion.releaseAgent(targetAgent, call.queue, true);
      else await this.c.d.agents.move(targetAgent, 'ringing', 'ready', { actor: 'transfer-cancelled' });
    }
    if (!wasConference) {
      await this.c.closeHold(call);
      await this.c.unholdCaller(call);
    }
    await this.c.record(call, wasConference ? 'conference-leave' : 'transfer-cancel', { by, who: 'target', to: target }, [call.agentId, targetAgent]);
  }

  /** The consulted target has answered: the caller joins them (three in the bridge). */
  async join(call: LiveCall, by: RequestedBy): Promise<void> {
    if (call.state !== 'consulting' || !call.xferAnsweredAt) throw wrongState(call.state, 'make a conference of');
    if (!(await this.c.move(call, 'conference'))) throw wrongState(call.state, 'make a conference of');
    await this.c.closeHold(call);
    await this.c.unholdCaller(call);
    await this.c.record(call, 'conference', { by, with: targetOf(call) }, [call.agentId, call.xferAgentId]);
  }

  /** The agent leaves a conference: caller and target go on, the target now owns the call. */
  async agentLeavesConference(call: LiveCall, by: RequestedBy): Promise<void> {
    const from = call.agentId;
    if (!(await this.c.move(call, 'connected'))) return;
    await this.c.releaseHandlingAgent(call);
    const target = targetOf(call);
    await this.c.adoptTarget(call);
    await this.c.record(call, 'conference-leave', { by, who: 'agent', from: { agentId: from }, to: target }, [from, call.agentId]);
  }

  /**
   * The agent's own leg went (it hung up the desk phone) while the call was in its hands.
   * Held: the call ends. Consulting: the transfer completes (attended, or blind before the
   * target answered). Conference: the other two go on. True when handled here.
   */
  async agentLegGone(call: LiveCall): Promise<boolean> {
    if (call.state === 'held') {
      await this.c.acd.completion.end(call, 'agent');
      return true;
    }
    if (call.state === 'consulting') {
      await this.complete(call, 'phone').catch(() => undefined);
      return true;
    }
    if (call.state === 'conference') {
      await this.agentLeavesConference(call, 'phone');
      return true;
    }
    return false;
  }
}
