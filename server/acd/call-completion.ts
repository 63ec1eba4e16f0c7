import type { AcdDeps } from './acd-service.js';
import type { LiveCall } from './live-calls.js';
import { outcomeOf } from './call-state.js';

/** How calls end: the caller leaves, the agent leg fails or hangs up, or a restart finds them gone. */
export class CallCompletion {
  constructor(private readonly d: AcdDeps) {}

  /** The caller's channel left (hung up). Whatever state the call was in, it ends now. */
  async callerGone(callId: string): Promise<void> {
    const call = await this.d.live.get(callId);
    if (!call || call.state === 'ended') return;
    await this.end(call, 'caller');
  }

  /**
   * The agent leg is gone. Before answer that is a ring-no-answer (or busy, or failed
   * offer): the caller goes back to the head of the queue. After answer the call ends.
   */
  async agentLegGone(callId: string, agentChannel: string, reason: string): Promise<void> {
    const call = await this.d.live.get(callId);
    if (!call || call.agentChannel !== agentChannel) return;
    if (call.state === 'connected') return this.end(call, 'agent');
    if (call.state !== 'offering' || !(await this.d.live.move(callId, 'offering', 'waiting'))) return;
    const agentId = call.agentId as number;
    await this.releaseAgent(agentId, false);
    await this.d.live.clear(callId, ['agentId', 'agentChannel']);
    await this.d.live.enqueue(call.queue, callId, call.score ?? Date.now());
    await this.d.interactions.event(callId, 'ring-no-answer', { queue: call.queue, agentId, data: { reason } });
    this.d.log.info({ interactionId: callId, agentId, reason }, 'offer not answered, caller back at the head of the queue');
  }

  async end(call: LiveCall, by: 'caller' | 'agent' | 'recovery', endedAt = new Date()): Promise<void> {
    const stateAtEnd = call.state;
    if (!(await this.d.live.move(call.id, stateAtEnd, 'ended'))) return;
    this.d.log.info({ interactionId: call.id, from: stateAtEnd, by }, 'call ended');
    await this.d.live.dequeue(call.queue, call.id);
    if (call.agentChannel) await this.d.calls.hangup(call.agentChannel);
    if (by !== 'caller') await this.d.calls.hangup(call.callerChannel);
    await this.d.calls.destroyBridge(`call-${call.id}`);
    const outcome = outcomeOf(stateAtEnd);
    const waitBase = new Date(call.queuedAt ?? call.enteredAt).getTime();
    const patch = outcome === 'answered'
      ? { endedAt, outcome, talkMs: endedAt.getTime() - new Date(call.answeredAt as string).getTime() }
      : { endedAt, outcome, waitMs: endedAt.getTime() - waitBase };
    await this.d.interactions.update(call.id, patch);
    await this.d.interactions.event(call.id, outcome === 'answered' ? 'complete' : 'abandon', {
      queue: call.queue, agentId: call.agentId, data: { by, ...(outcome === 'answered' ? {} : { waitMs: patch.waitMs }) },
    });
    if (call.agentId) await this.releaseAgent(call.agentId, stateAtEnd === 'connected');
    await this.d.live.finish(call);
    if (call.recordingPath) {
      void this.d.recordings
        .finish({ interactionId: call.id, agentId: call.agentId ?? null, path: call.recordingPath, startedAt: new Date(call.answeredAt as string) })
        .catch((err: Error) => this.d.log.error({ interactionId: call.id, err: err.message }, 'recording not indexed'));
    }
  }

  /** After a talk the agent gets the wrap-up time; after a missed offer it is ready at once. */
  private async releaseAgent(agentId: number, talked: boolean): Promise<void> {
    const cur = await this.d.agents.liveState(agentId);
    if (talked && cur.state === 'on_call') {
      await this.d.agents.move(agentId, 'on_call', 'wrap_up');
      setTimeout(() => void this.d.agents.move(agentId, 'wrap_up', 'ready').catch(() => undefined), this.d.settings.wrapUpSec * 1000);
      return;
    }
    if (cur.state === 'reserved' || cur.state === 'ringing' || cur.state === 'on_call') await this.d.agents.move(agentId, cur.state, 'ready');
  }

  /**
   * After (re)connecting to ARI: events during the gap are lost, so every call we hold
   * in Redis is checked against the channels Asterisk really has.
   */
  async reconcile(): Promise<void> {
    const channels = new Set((await this.d.calls.listChannels()).map((c) => c.id));
    for (const id of await this.d.live.activeIds()) {
      const call = await this.d.live.get(id);
      if (!call) continue;
      const callerUp = channels.has(call.callerChannel);
      const agentUp = !!call.agentChannel && channels.has(call.agentChannel);
      if (!callerUp) await this.end(call, 'caller');
      else if (call.state === 'connected' && !agentUp) await this.end(call, 'agent');
      else if (call.state === 'offering' && !agentUp) await this.agentLegGone(id, call.agentChannel as string, 'lost-during-restart');
      else if (call.state === 'greeting') await this.d.interactions.event(id, 'recovered', { queue: call.queue });
      this.d.log.info({ interactionId: id, state: call.state, callerUp, agentUp }, 'call reconciled');
    }
  }
}
