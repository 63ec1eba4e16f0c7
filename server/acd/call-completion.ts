import type { AcdDeps } from './acd-service.js';
import type { LiveCall } from './live-calls.js';
import { isAnswered, isControllable, outcomeOf } from './call-state.js';
import { interactionOfMember, isCallbackMember, isFinal } from './callbacks/callback-state.js';
import { isOwnLeg } from './matcher.js';
import { PostCallSurvey, surveyWanted } from './survey/post-call-survey.js';

/** How calls end: the caller leaves, the agent leg fails or hangs up, or a restart finds them gone. */
export class CallCompletion {
  /** Set by the ACD: offers the queue's calls again (the next agent after a ring-no-answer). */
  rematch: (queue: string) => Promise<void> = async () => undefined;

  private readonly survey: PostCallSurvey;

  constructor(private readonly d: AcdDeps) {
    this.survey = new PostCallSurvey(d);
  }

  /** The caller's channel left (hung up, or the dialplan finished with it). It ends now. */
  async callerGone(callId: string): Promise<void> {
    // An offer being set up outside this call's chain may move the state under us: retry.
    for (let attempt = 0; attempt < 3; attempt++) {
      const call = await this.d.live.get(callId);
      if (!call || call.state === 'ended') return;
      if (await this.tryEnd(call, 'caller')) return;
    }
  }

  /**
   * The agent leg is gone. Before answer that is a ring-no-answer (or busy, or a failed
   * offer): the caller goes back to its place and the next agent is offered it before
   * this one is free again. After answer the call ends.
   */
  async agentLegGone(callId: string, agentChannel: string, reason: string): Promise<void> {
    const call = await this.d.live.get(callId);
    if (!call || call.agentChannel !== agentChannel) return;
    if (call.state === 'connected') return this.end(call, 'agent');
    if (call.state !== 'offering' || !(await this.d.live.move(callId, 'offering', 'waiting'))) return;
    const agentId = call.agentId as number;
    await this.d.live.clear(callId, ['agentId', 'agentChannel']);
    await this.d.routing.requeue(callId);
    await this.d.interactions.event(callId, 'ring-no-answer', { queue: call.queue, agentId, data: { reason } });
    this.d.log.info({ interactionId: callId, agentId, reason }, 'offer not answered, caller back in its place');
    await this.rematch(call.queue);
    await this.missed(agentId, call.queue);
  }

  /** The agent let it ring: ready again at the back of the line, or paused after too many in a row. */
  async missed(agentId: number, queue: string): Promise<void> {
    const cur = await this.d.agents.liveState(agentId);
    if (cur.state !== 'reserved' && cur.state !== 'ringing') return;
    const misses = await this.d.stats.miss(agentId);
    const limit = (await this.d.queues.get(queue))?.maxMisses ?? 2;
    if (misses >= limit) {
      await this.d.stats.clearMisses(agentId);
      await this.d.agents.move(agentId, cur.state, 'paused', { pauseReason: 'no-answer', actor: 'acd' });
      this.d.log.warn({ agentId, misses }, 'agent paused after missed offers');
    } else {
      await this.d.agents.move(agentId, cur.state, 'ready', { actor: 'acd' });
    }
  }

  async end(call: LiveCall, by: 'caller' | 'agent' | 'system' | 'recovery', endedAt = new Date()): Promise<void> {
    await this.tryEnd(call, by, endedAt);
  }

  /** False when the call was no longer in the state `given` says (someone moved it first). */
  async tryEnd(given: LiveCall, by: 'caller' | 'agent' | 'system' | 'recovery', endedAt = new Date()): Promise<boolean> {
    const stateAtEnd = given.state;
    if (!(await this.d.live.move(given.id, stateAtEnd, 'ended'))) return false;
    // An offer set up concurrently may have named its agent and leg since `given` was read.
    const stored = await this.d.live.get(given.id);
    const call: LiveCall = { ...given, agentId: given.agentId ?? stored?.agentId, agentChannel: given.agentChannel ?? stored?.agentChannel };
    this.d.log.info({ interactionId: call.id, from: stateAtEnd, by }, 'call ended');
    // Where an abandoning caller was in line, read before it leaves the line.
    const position = stateAtEnd === 'waiting' && call.queue ? await this.d.routing.position(call.id, call.queue) : undefined;
    await this.d.routing.remove(call.id);
    const queue = call.queue ? await this.d.queues.get(call.queue) : undefined;
    const surveyed = surveyWanted(queue, call, by, stateAtEnd);
    if (surveyed) await this.keepForSurvey(call);
    await this.letGo(call, surveyed || by === 'caller' || stateAtEnd === 'leaving');
    const outcome = call.leftTo ?? outcomeOf(stateAtEnd);
    const answered = outcome === 'answered';
    const waitBase = new Date(call.queuedAt ?? call.enteredAt).getTime();
    const talkMs = answered ? endedAt.getTime() - new Date(call.answeredAt as string).getTime() : undefined;
    // A call that ends on hold (or while consulting) counts its last hold too.
    const holdMs = (call.holdMs ?? 0) + (call.heldAt ? endedAt.getTime() - Date.parse(call.heldAt) : 0);
    const patch = answered
      ? { endedAt, outcome, talkMs, holdMs: holdMs || undefined }
      : { endedAt, outcome, waitMs: call.queuedAt ? endedAt.getTime() - waitBase : undefined };
    const type = answered ? 'complete' : call.leftTo ? 'end' : 'abandon';
    await this.d.interactions.event(call.id, type, {
      queue: call.queue || undefined, agentId: call.agentId, data: { by, outcome, ...(answered ? {} : { waitMs: patch.waitMs, position }) },
    });
    // Written after the last event (writes of one interaction keep their order): a reader
    // that sees ended_at sees every event of the call.
    await this.d.interactions.update(call.id, patch);
    if (call.agentId) await this.releaseAgent(call.agentId, call.queue, isAnswered(stateAtEnd), talkMs, call.id);
    if (call.xferAgentId) await this.releaseAgent(call.xferAgentId, call.queue, !!call.xferAnsweredAt, 0, call.id);
    await this.d.live.finish(call);
    // Outside legs of the call (click to dial, a transfer to a number) stop counting against the caps.
    await this.d.callbacks.policy.release(call.id);
    if (call.recordingPath) {
      void this.d.recordings
        .finish({ interactionId: call.id, agentId: call.agentId ?? null, path: call.recordingPath, startedAt: new Date(call.answeredAt as string) })
        .catch((err: Error) => this.d.log.error({ interactionId: call.id, err: err.message }, 'recording not indexed'));
    }
    // Only now: the interaction is closed and the agent in wrap-up before the caller is asked.
    if (surveyed && queue) this.survey.start(call, queue);
    return true;
  }

  /**
   * Hangs up the legs the call still holds and takes its bridge down. The caller's channel
   * is kept when it is already gone, no longer ours, or going to the survey.
   */
  private async letGo(call: LiveCall, keepCaller: boolean): Promise<void> {
    if (call.agentChannel) await this.d.calls.hangup(call.agentChannel);
    // A transfer or conference target still ringing or talking goes with the call.
    if (call.xferChannel) await this.d.calls.hangup(call.xferChannel);
    if (!keepCaller) await this.d.calls.hangup(call.callerChannel);
    await this.d.calls.destroyBridge(`call-${call.id}`);
  }

  /** The recording ends with the talk: MixMonitor would go on recording the survey. */
  private async keepForSurvey(call: LiveCall): Promise<void> {
    if (!call.recordingPath) return;
    await this.d.recordings.stop(call.callerChannelName, call.id)
      .catch((err: Error) => this.d.log.warn({ interactionId: call.id, err: err.message }, 'recording not stopped before the survey'));
  }

  /**
   * After a talk the agent gets the queue's wrap-up time (the desk's "done" may end it
   * sooner); after a missed offer it is ready at once. The wrap-up keeps the interaction id,
   * so the desk knows which call the disposition is for, and so this timer never cuts
   * short the wrap-up of a later call.
   */
  async releaseAgent(agentId: number, queue: string, talked: boolean, talkMs = 0, interactionId?: string): Promise<void> {
    const cur = await this.d.agents.liveState(agentId);
    const wrapUpSec = (await this.d.queues.get(queue))?.wrapUpSec ?? this.d.settings.wrapUpSec;
    if (talked) await this.d.stats.recordHandle(queue, talkMs / 1000 + wrapUpSec);
    if (talked && cur.state === 'on_call') {
      await this.d.agents.move(agentId, 'on_call', 'wrap_up', { interactionId });
      setTimeout(() => void this.endWrapUp(agentId, interactionId).catch(() => undefined), wrapUpSec * 1000);
      return;
    }
    if (cur.state === 'reserved' || cur.state === 'ringing' || cur.state === 'on_call') await this.d.agents.move(agentId, cur.state, 'ready');
  }

  private async endWrapUp(agentId: number, interactionId?: string): Promise<void> {
    const cur = await this.d.agents.liveState(agentId);
    if (cur.state !== 'wrap_up' || (interactionId && cur.interactionId && cur.interactionId !== interactionId)) return;
    await this.d.agents.move(agentId, 'wrap_up', 'ready', { actor: 'wrap-up-timer' });
  }

  /**
   * After (re)connecting to ARI: events during the gap are lost, so every call we hold
   * in Redis is checked against the channels Asterisk really has.
   */
  async reconcile(): Promise<void> {
    const listed = await this.d.calls.listChannels();
    const channels = new Set(listed.map((c) => c.id));
    await this.hangupOrphans(listed.map((c) => c.id));
    for (const id of await this.d.live.activeIds()) {
      const call = await this.d.live.get(id);
      if (!call) continue;
      const callerUp = channels.has(call.callerChannel);
      const agentUp = !!call.agentChannel && channels.has(call.agentChannel);
      if (!callerUp) await this.end(call, 'caller');
      else if (isControllable(call.state) && !agentUp) await this.end(call, 'agent');
      else if (call.state === 'offering' && !agentUp) await this.agentLegGone(id, call.agentChannel as string, 'lost-during-restart');
      else if (call.state === 'greeting' || call.state === 'ivr') await this.d.interactions.event(id, 'recovered', { queue: call.queue || undefined });
      this.d.log.info({ interactionId: id, state: call.state, callerUp, agentUp }, 'call reconciled');
    }
  }

  /**
   * Legs we created (agent-…, cbout-…) that no live call or callback owns any more: a
   * server killed mid-offer with its Redis state gone, a test aborted. Left alone they stay
   * in Stasis for ever and keep the desk phone busy, so nobody is ever offered it again.
   */
  private async hangupOrphans(channelIds: string[]): Promise<void> {
    for (const id of channelIds.filter(isOwnLeg)) {
      const owner = await this.d.live.callForChannel(id);
      if (owner && (await this.ownerAlive(owner))) continue;
      this.d.log.warn({ channelId: id, owner }, 'orphaned leg hung up');
      await this.d.calls.hangup(id);
    }
  }

  private async ownerAlive(owner: string): Promise<boolean> {
    if (isCallbackMember(owner)) {
      const cb = await this.d.callbacks.live.get(interactionOfMember(owner));
      return !!cb && !isFinal(cb.state);
    }
    const call = await this.d.live.get(owner);
    return !!call && call.state !== 'ended';
  }
}
