import type { ChannelInfo } from '../../telephony/index.js';
import type { LiveCall } from '../live-calls.js';
import { bridgeOf, targetOf, type ControlContext, type RequestedBy, type ResolvedTarget, type TransferKind } from './control-context.js';
import { wrongState } from './errors.js';

/** Deterministic per transfer, so a restarted server recognises its own target legs. */
export const targetChannelId = (callId: string, n: number) => `xfer-${n}-${callId}`;

const describe = (t: ResolvedTarget) =>
  t.type === 'agent' ? { type: 'agent', agentId: t.agentId, number: t.number } : t.type === 'queue' ? { type: 'queue', queue: t.queue } : { type: 'number', number: t.number };

/**
 * Transfers: the target's leg (an agent's desk phone rung as an offer, or a number), a
 * blind transfer to it or to a queue, and what happens when the target answers or not.
 * A caller whose blind transfer is not answered goes back to the queue it came from (a
 * fresh place there, the interaction kept); a call without a queue (click to dial) ends.
 */
export class Transfers {
  constructor(private readonly c: ControlContext) {}

  /** Rings the target; the caller is already on hold or out of the bridge. */
  async ringTarget(call: LiveCall, target: ResolvedTarget, kind: TransferKind, by: RequestedBy): Promise<void> {
    if (target.type === 'queue') throw wrongState(call.state, 'ring a queue');
    const n = (call.xfers ?? 0) + 1;
    const channelId = targetChannelId(call.id, n);
    const agentId = target.type === 'agent' ? target.agentId : undefined;
    Object.assign(call, { xfers: n, xferChannel: channelId, xferTo: JSON.stringify(target), xferKind: kind, xferBy: by, xferAgentId: agentId });
    await this.c.live.patch(call.id, { xfers: n, xferChannel: channelId, xferTo: call.xferTo, xferKind: kind, xferBy: by, xferAgentId: agentId });
    await this.c.live.linkChannel(channelId, call.id);
    const endpoint = target.type === 'agent' ? `PJSIP/${target.extension}` : target.endpoint;
    const q = await this.c.d.queues.get(call.queue);
    try {
      // The target sees who is calling; an outside number gets the trunk's own caller id.
      const showCaller = target.type === 'agent' || target.internal;
      await this.c.calls.createChannel({
        channelId, endpoint, appArgs: `xfer,${call.id}`, originator: call.callerChannel,
        callerId: showCaller ? `"${call.callerNumber}" <${call.callerNumber}>` : undefined,
      });
      if (agentId) await this.c.d.agents.move(agentId, 'reserved', 'ringing', { interactionId: call.id });
      await this.c.calls.dial(channelId, call.callerChannel, q?.ringTimeoutSec ?? this.c.d.settings.ringTimeoutSec);
    } catch (err) {
      this.c.d.log.warn({ interactionId: call.id, err: (err as Error).message }, 'transfer target could not be rung');
      await this.targetGone(call, channelId, 'dial-failed');
      return;
    }
    await this.c.record(call, 'transfer-ringing', { kind, by, to: describe(target) }, [call.agentId, agentId]);
  }

  /** Blind: the agent leaves now; the caller hears music until the target answers. */
  async blind(call: LiveCall, target: ResolvedTarget, by: RequestedBy, beforeAgentLeaves?: () => Promise<void>): Promise<void> {
    const from = call.agentId;
    if (target.type === 'queue') return this.toQueue(call, target.queue, by, beforeAgentLeaves);
    if (!(await this.c.move(call, 'transferring'))) throw wrongState(call.state, 'transfer');
    await this.c.record(call, 'transfer', { kind: 'blind', by, from: { agentId: from }, to: describe(target) }, [from]);
    await this.c.holdCaller(call);
    // The hold belonged to the agent who put the caller on hold; waiting for the target is not hold.
    await this.c.closeHold(call);
    await this.c.releaseHandlingAgent(call, beforeAgentLeaves);
    await this.ringTarget(call, target, 'blind', by);
  }

  /** The caller re-enters a queue with the same interaction; the agent's handle ends as transferred out. */
  private async toQueue(call: LiveCall, queue: string, by: RequestedBy, beforeAgentLeaves?: () => Promise<void>): Promise<void> {
    const from = call.agentId;
    await this.c.record(call, 'transfer', { kind: 'blind', by, from: { agentId: from }, to: { type: 'queue', queue } }, [from]);
    await this.c.closeHold(call);
    await this.c.releaseHandlingAgent(call, beforeAgentLeaves);
    // The matcher builds the bridge anew for the next agent; destroying it also frees the caller.
    await this.c.calls.destroyBridge(bridgeOf(call.id));
    await this.c.acd.enqueue(call, queue);
  }

  /** The target's phone answered. */
  async targetAnswered(call: LiveCall, channel: ChannelInfo): Promise<void> {
    if (call.xferChannel !== channel.id) return this.c.calls.hangup(channel.id);
    const target = targetOf(call);
    if (target?.type === 'agent') {
      await this.c.d.agents.move(target.agentId, 'ringing', 'on_call', { interactionId: call.id });
      await this.c.d.stats.clearMisses(target.agentId);
    }
    if (call.state === 'transferring') return this.blindConnected(call);
    if (call.state !== 'consulting') return this.c.calls.hangup(channel.id);
    call.xferAnsweredAt = new Date().toISOString();
    await this.c.live.patch(call.id, { xferAnsweredAt: call.xferAnsweredAt });
    // The agent is alone in the call's bridge (the caller is on hold): the target joins it.
    // A conference asked for up front takes the caller in as soon as the target answers.
    await this.c.calls.addToBridge(bridgeOf(call.id), [channel.id]);
    const kind = call.xferKind;
    await this.c.record(call, 'transfer-connect', { kind, to: target ? describe(target) : undefined }, [call.agentId, call.xferAgentId]);
    if (kind === 'conference' && (await this.c.move(call, 'conference'))) {
      await this.c.closeHold(call);
      await this.c.unholdCaller(call);
      await this.c.record(call, 'conference', { by: call.xferBy, with: target ? describe(target) : undefined }, [call.agentId, call.xferAgentId]);
    }
  }

  private async blindConnected(call: LiveCall): Promise<void> {
    if (!(await this.c.move(call, 'connected'))) return;
    const target = targetOf(call);
    await this.c.adoptTarget(call);
    await this.c.unholdCaller(call);
    await this.c.calls.addToBridge(bridgeOf(call.id), [call.agentChannel as string]);
    await this.c.record(call, 'transfer-connect', { kind: 'blind', to: target ? describe(target) : undefined }, [call.agentId]);
  }

  /**
   * The target's leg is gone: never answered (blind: back to the queue; attended: the
   * caller stays on hold with its agent), or hung up while consulting or in a conference.
   */
  async targetGone(call: LiveCall, channelId: string, reason: string): Promise<void> {
    if (call.xferChannel !== channelId) return;
    const answered = !!call.xferAnsweredAt;
    const targetAgent = call.xferAgentId;
    const target = targetOf(call);
    const state = call.state;
    await this.c.forgetTarget(call);
    await this.c.calls.hangup(channelId);
    await this.c.d.callbacks.policy.release(call.id, 'xfer');
    if (targetAgent) {
      if (answered) await this.c.acd.completion.releaseAgent(targetAgent, call.queue, true);
      else await this.c.acd.completion.missed(targetAgent, call.queue);
    }
    const data = { reason, to: target ? describe(target) : undefined };
    if (state === 'transferring') return this.blindFailed(call, data);
    if (state === 'consulting' && (await this.c.move(call, 'held'))) {
      // The caller stays on hold with its agent, who decides (resume, another transfer).
      await this.c.record(call, answered ? 'transfer-cancel' : 'transfer-failed', { ...data, by: 'target' }, [call.agentId, targetAgent]);
      return;
    }
    if (state === 'conference' && (await this.c.move(call, 'connected'))) {
      await this.c.record(call, 'conference-leave', { ...data, who: 'target' }, [call.agentId, targetAgent]);
    }
  }

  private async blindFailed(call: LiveCall, data: Record<string, unknown>): Promise<void> {
    await this.c.record(call, 'transfer-failed', { ...data, then: call.queue ? 'queue' : 'end' }, []);
    if (!call.queue) return this.c.acd.completion.end({ ...call, leftTo: 'transfer-failed' }, 'system');
    await this.c.calls.destroyBridge(bridgeOf(call.id));
    await this.c.acd.enqueue(call, call.queue);
  }
}
