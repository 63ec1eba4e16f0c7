import type { AcdDeps } from './acd-service.js';
import type { CallCompletion } from './call-completion.js';
import type { LiveCall } from './live-calls.js';
import type { Reservation } from './routing/routing-store.js';
import { isCallbackMember } from './callbacks/callback-state.js';
import { recordingOff } from './recording-policy.js';

/** Deterministic per offer, so a restarted server recognises its own agent legs. */
/** Legs the app creates itself (agent offers, callback customers, transfer targets, click to dial). */
export const isOwnLeg = (channelId: string) => /^(agent|cbout|xfer|ctd)-/.test(channelId);

export const agentChannelId = (agentId: number, callId: string, attempt: number) => `agent-${agentId}-${attempt}-${callId}`;

/**
 * Pairs waiting callers with ready agents (the pick itself is one Lua script in the
 * routing store) and carries each pair from the offer to the bridge.
 */
export class Matcher {
  constructor(
    private readonly d: AcdDeps,
    private readonly completion: CallCompletion,
    /** Callbacks wait in the same sets; their offer rings the agent before anyone else. */
    private readonly offerCallback: (r: Reservation) => Promise<void>,
  ) {}

  /** Offers the queue's waiting calls to its free agents until one side runs out. */
  async matchQueue(queue: string): Promise<void> {
    const q = await this.d.queues.get(queue);
    if (!q) return;
    for (let r = await this.d.routing.pickForQueue(queue, q.strategy); r; r = await this.d.routing.pickForQueue(queue, q.strategy)) {
      await this.offer(r);
    }
  }

  /** An agent just became ready: the oldest call it may take, across its queues. */
  async matchAgent(agentId: number): Promise<void> {
    const queues = await this.d.agentRouting.sync(agentId);
    if (!queues?.length) return;
    const r = await this.d.routing.pickForAgent(agentId, queues);
    if (r) await this.offer(r);
  }

  async matchAll(): Promise<void> {
    for (const q of await this.d.queues.all()) {
      if ((await this.d.routing.waitingCount(q.name)) > 0) await this.matchQueue(q.name);
    }
  }

  private async offer(r: Reservation): Promise<void> {
    if (isCallbackMember(r.callId)) return this.offerCallback(r);
    const { callId, agentId } = r;
    const call = await this.d.live.get(callId);
    await this.d.agents.announce(agentId, 'ready', 'reserved', callId);
    if (!call || call.state !== 'waiting' || !(await this.d.live.move(callId, 'waiting', 'offering'))) {
      // The caller left between the pick and now: free the agent, forget the call.
      await this.d.routing.remove(callId);
      await this.d.agents.move(agentId, 'reserved', 'ready');
      return;
    }
    const phone = await this.d.agents.phoneOf(await this.d.agents.record(agentId));
    const q = await this.d.queues.get(r.queue);
    const attempt = (call.offers ?? 0) + 1;
    const channelId = agentChannelId(agentId, callId, attempt);
    await this.d.live.patch(callId, { agentId, agentChannel: channelId, offers: attempt, queue: r.queue });
    await this.d.live.linkChannel(channelId, callId);
    await this.d.interactions.event(callId, 'offer', { queue: r.queue, agentId, data: { attempt } });
    try {
      await this.d.calls.createChannel({
        channelId, endpoint: `PJSIP/${phone}`, appArgs: `agent,${callId},${agentId}`,
        originator: call.callerChannel, callerId: `"${call.callerNumber}" <${call.callerNumber}>`,
      });
      const ringing = await this.d.agents.move(agentId, 'reserved', 'ringing', { interactionId: callId });
      // The caller may hang up while this offer is set up (its hang-up runs in the call's own
      // chain, not this one): then the new leg is ours to drop, and the agent is free again.
      if (!ringing || (await this.d.live.get(callId))?.state !== 'offering') {
        await this.d.calls.hangup(channelId);
        if (ringing) await this.d.agents.move(agentId, 'ringing', 'ready', { actor: 'acd' });
        return;
      }
      await this.d.calls.dial(channelId, call.callerChannel, q?.ringTimeoutSec ?? this.d.settings.ringTimeoutSec);
    } catch (err) {
      this.d.log.warn({ interactionId: callId, agentId, err: (err as Error).message }, 'offer failed');
      await this.completion.agentLegGone(callId, channelId, 'offer-failed');
    }
  }

  /** The agent's phone answered: bridge the two legs and start recording. */
  async agentAnswered(callId: string, agentChannel: string): Promise<void> {
    const call = await this.d.live.get(callId);
    if (!call || call.agentChannel !== agentChannel || !(await this.d.live.move(callId, 'offering', 'connected'))) {
      await this.d.calls.hangup(agentChannel);
      return;
    }
    const answeredAt = new Date();
    const agentId = call.agentId as number;
    await this.d.routing.remove(callId);
    if (call.announcePlayback) await this.d.calls.stopPlayback(call.announcePlayback);
    await this.d.calls.stopMoh(call.callerChannel);
    await this.d.calls.createBridge(`call-${callId}`);
    await this.d.calls.addToBridge(`call-${callId}`, [call.callerChannel, agentChannel]);
    await this.d.agents.move(agentId, 'ringing', 'on_call', { interactionId: callId });
    await Promise.all([this.d.stats.countCall(agentId, answeredAt), this.d.stats.clearMisses(agentId)]);
    const waitMs = answeredAt.getTime() - new Date(call.queuedAt ?? call.enteredAt).getTime();
    const handledBy = [...(call.handledBy ? call.handledBy.split(',').map(Number) : []), agentId];
    await this.d.live.patch(callId, { handledBy: handledBy.join(',') });
    // A call transferred into this queue was answered before: its first answer, wait and
    // recording (MixMonitor on the caller's channel, still running) stay as they are.
    if (call.answeredAt) {
      await this.d.interactions.update(callId, { agentId, queue: call.queue, handledBy });
      await this.d.interactions.event(callId, 'connect', { queue: call.queue, agentId, data: { waitMs, transferred: true } });
      return;
    }
    await this.d.interactions.update(callId, { agentId, answeredAt, waitMs, queue: call.queue, handledBy });
    await this.d.interactions.event(callId, 'connect', { queue: call.queue, agentId, data: { waitMs } });
    await this.record(call, answeredAt);
  }

  private async record(call: LiveCall, answeredAt: Date): Promise<void> {
    const off = await recordingOff(this.d, call);
    if (off) {
      await this.d.live.patch(call.id, { answeredAt: answeredAt.toISOString() });
      await this.d.interactions.event(call.id, 'recording-off', { queue: call.queue, data: { by: off } });
      return;
    }
    try {
      const path = await this.d.recordings.start(call.callerChannelName, call.id, answeredAt);
      await this.d.live.patch(call.id, { answeredAt: answeredAt.toISOString(), recordingPath: path });
    } catch (err) {
      await this.d.live.patch(call.id, { answeredAt: answeredAt.toISOString() });
      this.d.log.error({ interactionId: call.id, err: (err as Error).message }, 'recording could not start');
    }
  }
}
