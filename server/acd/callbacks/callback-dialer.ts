import type { AcdDeps } from '../acd-service.js';
import type { CallCompletion } from '../call-completion.js';
import { agentChannelId } from '../matcher.js';
import type { Reservation } from '../routing/routing-store.js';
import { callbackMember, dialFailureKind, interactionOfMember } from './callback-state.js';
import type { CallbackService } from './callback-service.js';
import type { LiveCallback } from './live-callbacks.js';
import { trunkEndpoint } from '../call-control/dial-target.js';
import { recordingOff } from '../recording-policy.js';

/** Deterministic, so a restarted server recognises its own customer legs. */
export const customerChannelId = (interactionId: string, attempt: number) => `cbout-${attempt}-${interactionId}`;

/**
 * Makes a callback once its place comes up: the reserved agent's phone rings first; when
 * the agent answers, the agent hears ringback while the customer is dialled through the
 * trunk; when the customer answers, both are bridged and recorded. A customer who does
 * not answer is tried again later, up to the queue's attempts.
 */
export class CallbackDialer {
  constructor(private readonly d: AcdDeps, private readonly completion: CallCompletion, private readonly service: CallbackService) {}

  private get live() {
    return this.d.callbacks.live;
  }

  /** The matcher reserved an agent for a callback waiting in its queue. */
  async offer(r: Reservation): Promise<void> {
    const id = interactionOfMember(r.callId);
    const { agentId } = r;
    const cb = await this.live.get(id);
    await this.d.agents.announce(agentId, 'ready', 'reserved', id);
    if (!cb || cb.state !== 'waiting' || !(await this.service.move(cb, 'waiting', 'offering'))) {
      await this.d.routing.remove(r.callId);
      await this.d.agents.move(agentId, 'reserved', 'ready');
      return;
    }
    const phone = await this.d.agents.phoneOf(await this.d.agents.record(agentId));
    const q = await this.d.queues.get(cb.queue);
    const attempt = cb.offers + 1;
    const channelId = agentChannelId(agentId, r.callId, attempt);
    await this.live.patch(id, { agentId, agentChannel: channelId, offers: attempt });
    await this.live.linkChannel(channelId, r.callId);
    await this.d.interactions.event(id, 'callback-offer', { queue: cb.queue, agentId, data: { attempt, number: cb.number } });
    try {
      await this.d.calls.createChannel({ channelId, endpoint: `PJSIP/${phone}`, appArgs: `agent,${r.callId},${agentId}`, callerId: `"Callback" <${cb.number}>` });
      await this.d.agents.move(agentId, 'reserved', 'ringing', { interactionId: id });
      await this.d.calls.dial(channelId, undefined, q?.ringTimeoutSec ?? this.d.settings.ringTimeoutSec);
    } catch (err) {
      this.d.log.warn({ interactionId: id, agentId, err: (err as Error).message }, 'callback offer failed');
      await this.legGone(r.callId, channelId, 0);
    }
  }

  /** A leg of ours answered: the agent (dial the customer now) or the customer (bridge). */
  async answered(member: string, channelId: string, channelName: string): Promise<void> {
    const cb = await this.live.get(interactionOfMember(member));
    if (!cb) return this.d.calls.hangup(channelId);
    if (channelId === cb.agentChannel && cb.state === 'offering') return this.dialCustomer(cb);
    if (channelId === cb.customerChannel && cb.state === 'dialing') return this.connect(cb, channelName);
    if (channelId !== cb.agentChannel && channelId !== cb.customerChannel) await this.d.calls.hangup(channelId);
  }

  private async dialCustomer(cb: LiveCallback): Promise<void> {
    if (!(await this.service.move(cb, 'offering', 'dialing'))) return;
    const agentId = cb.agentId as number;
    const q = await this.d.queues.get(cb.queue);
    const attempt = cb.attempts + 1;
    const channelId = customerChannelId(cb.id, attempt);
    await this.d.routing.remove(callbackMember(cb.id));
    await this.d.agents.move(agentId, 'ringing', 'on_call', { interactionId: cb.id });
    await this.live.patch(cb.id, { attempts: attempt, customerChannel: channelId });
    await this.live.linkChannel(channelId, callbackMember(cb.id));
    await this.d.calls.ring(cb.agentChannel as string);
    await this.d.interactions.event(cb.id, 'callback-dial', { queue: cb.queue, agentId, data: { attempt, number: cb.number } });
    await this.d.callbacks.records.update(cb.id, { status: 'dialing', attempts: attempt, agentId });
    const callerId = q?.callback.callerId ?? cb.did;
    try {
      await this.d.callbacks.policy.admit({ callId: cb.id, agentId, leg: 'callback' }, cb.number, cb.number.replace(/[^0-9]/g, ''));
    } catch (err) {
      // Over the outside-call caps (or a rule added since it was booked): nothing was dialled;
      // it counts as an attempt that did not reach the customer and is retried later.
      this.d.log.warn({ interactionId: cb.id, err: (err as Error).message }, 'callback not dialled');
      return this.customerMissed(cb, (err as { code?: string }).code ?? 'refused');
    }
    try {
      await this.d.calls.createChannel({
        channelId, endpoint: trunkEndpoint(this.d.callbacks.trunk, cb.number), appArgs: `callback,${callbackMember(cb.id)}`,
        originator: cb.agentChannel, callerId: callerId ? `<${callerId}>` : undefined,
      });
      await this.d.calls.dial(channelId, cb.agentChannel, q?.callback.ringCustomerSec ?? 30);
    } catch (err) {
      this.d.log.warn({ interactionId: cb.id, err: (err as Error).message }, 'callback dial failed');
      await this.legGone(callbackMember(cb.id), channelId, 0);
    }
  }

  private async connect(cb: LiveCallback, customerChannelName: string): Promise<void> {
    if (!(await this.service.move(cb, 'dialing', 'connected'))) return;
    const answeredAt = new Date();
    const agentId = cb.agentId as number;
    const bridgeId = `call-${cb.id}`;
    await this.d.calls.ringStop(cb.agentChannel as string);
    await this.d.calls.createBridge(bridgeId);
    await this.d.calls.addToBridge(bridgeId, [cb.customerChannel as string, cb.agentChannel as string]);
    await Promise.all([this.d.stats.countCall(agentId, answeredAt), this.d.stats.clearMisses(agentId)]);
    await this.d.interactions.event(cb.id, 'callback-connect', { queue: cb.queue, agentId, data: { attempt: cb.attempts } });
    await this.d.callbacks.records.update(cb.id, { status: 'connected', connectedAt: answeredAt, lastResult: 'answered' });
    let recordingPath: string | undefined;
    const off = await recordingOff(this.d, cb);
    try {
      if (off) await this.d.interactions.event(cb.id, 'recording-off', { queue: cb.queue, data: { by: off } });
      else recordingPath = await this.d.recordings.start(customerChannelName, cb.id, answeredAt);
    } catch (err) {
      this.d.log.error({ interactionId: cb.id, err: (err as Error).message }, 'recording could not start');
    }
    await this.live.patch(cb.id, { answeredAt: answeredAt.toISOString(), customerChannelName, recordingPath });
  }

  /**
   * One of our legs is gone; what that means depends on how far the callback got.
   * `cause` (Q.850) comes with ChannelDestroyed; StasisEnd has none and may come first.
   */
  async legGone(member: string, channelId: string, cause?: number): Promise<void> {
    const cb = await this.live.get(interactionOfMember(member));
    if (!cb) return;
    const isAgent = channelId === cb.agentChannel;
    if (!isAgent && channelId !== cb.customerChannel) return;
    if (cb.state === 'connected') return this.complete(cb);
    if (cb.state === 'offering' && isAgent) return this.agentMissed(cb);
    if (cb.state !== 'dialing') return;
    if (isAgent) return this.agentLeftWhileDialing(cb);
    // Why the customer's phone did not answer arrives with ChannelDestroyed: wait for it.
    if (cause === undefined) return;
    return this.customerMissed(cb, dialFailureKind(cause));
  }

  /** The agent let the callback ring: back to its place, the next agent gets it. */
  private async agentMissed(cb: LiveCallback): Promise<void> {
    if (!(await this.service.move(cb, 'offering', 'waiting'))) return;
    const agentId = cb.agentId as number;
    await this.live.clear(cb.id, ['agentId', 'agentChannel']);
    await this.d.routing.requeue(callbackMember(cb.id));
    await this.d.interactions.event(cb.id, 'ring-no-answer', { queue: cb.queue, agentId, data: { callback: true } });
    await this.completion.rematch(cb.queue);
    await this.completion.missed(agentId, cb.queue);
  }

  /** The agent hung up before the customer answered: not the customer's miss; the callback waits again. */
  private async agentLeftWhileDialing(cb: LiveCallback): Promise<void> {
    if (!(await this.service.move(cb, 'dialing', 'waiting'))) return;
    await this.d.calls.hangup(cb.customerChannel as string);
    await this.d.callbacks.policy.release(cb.id);
    await this.live.patch(cb.id, { attempts: Math.max(0, cb.attempts - 1) });
    await this.live.clear(cb.id, ['agentId', 'agentChannel', 'customerChannel']);
    await this.d.interactions.event(cb.id, 'callback-no-answer', { queue: cb.queue, agentId: cb.agentId, data: { result: 'agent-left', attempt: cb.attempts } });
    await this.d.callbacks.records.update(cb.id, { status: 'waiting', attempts: Math.max(0, cb.attempts - 1), lastResult: 'agent-left' });
    await this.completion.releaseAgent(cb.agentId as number, cb.queue, false);
    await this.d.routing.enqueue(callbackMember(cb.id), cb.queue, cb.score, cb.minLevel);
    await this.completion.rematch(cb.queue);
  }

  /** The customer did not answer (or was busy): another try later, or given up. */
  private async customerMissed(cb: LiveCallback, result: string): Promise<void> {
    const q = await this.d.queues.get(cb.queue);
    const maxAttempts = q?.callback.maxAttempts ?? 3;
    const retry = cb.attempts < maxAttempts;
    if (!(await this.service.move(cb, 'dialing', retry ? 'scheduled' : 'failed'))) return;
    await this.d.calls.hangup(cb.agentChannel as string);
    await this.d.callbacks.policy.release(cb.id);
    await this.completion.releaseAgent(cb.agentId as number, cb.queue, false);
    await this.live.clear(cb.id, ['agentId', 'agentChannel', 'customerChannel']);
    await this.d.interactions.event(cb.id, 'callback-no-answer', { queue: cb.queue, agentId: cb.agentId, data: { result, attempt: cb.attempts } });
    if (retry) {
      const nextAt = new Date(Date.now() + (q?.callback.retryDelaySec ?? 300) * 1000);
      await this.live.schedule(cb.id, nextAt.getTime());
      await this.d.interactions.event(cb.id, 'callback-retry', { queue: cb.queue, data: { attempt: cb.attempts, nextAt: nextAt.toISOString() } });
      await this.d.callbacks.records.update(cb.id, { status: 'scheduled', lastResult: result, nextAttemptAt: nextAt });
      return;
    }
    await this.d.interactions.event(cb.id, 'callback-failed', { queue: cb.queue, data: { attempts: cb.attempts, result } });
    await this.d.callbacks.records.update(cb.id, { status: 'failed', lastResult: result, endedAt: new Date() });
    await this.live.finish(cb.id);
  }

  private async complete(cb: LiveCallback): Promise<void> {
    if (!(await this.service.move(cb, 'connected', 'completed'))) return;
    const endedAt = new Date();
    const talkMs = endedAt.getTime() - Date.parse(cb.answeredAt ?? endedAt.toISOString());
    await this.d.calls.hangup(cb.agentChannel as string);
    await this.d.calls.hangup(cb.customerChannel as string);
    await this.d.calls.destroyBridge(`call-${cb.id}`);
    await this.d.callbacks.policy.release(cb.id);
    await this.d.interactions.event(cb.id, 'callback-complete', { queue: cb.queue, agentId: cb.agentId, data: { talkMs } });
    await this.d.callbacks.records.update(cb.id, { status: 'completed', endedAt, talkMs });
    await this.completion.releaseAgent(cb.agentId as number, cb.queue, true, talkMs);
    await this.live.finish(cb.id);
    if (cb.recordingPath) {
      void this.d.recordings
        .finish({ interactionId: cb.id, agentId: cb.agentId ?? null, path: cb.recordingPath, startedAt: new Date(cb.answeredAt as string) })
        .catch((err: Error) => this.d.log.error({ interactionId: cb.id, err: err.message }, 'recording not indexed'));
    }
  }

  /** After (re)connecting to ARI: callbacks whose legs vanished during the gap are settled. */
  async reconcile(channels: Set<string>): Promise<void> {
    for (const id of await this.live.activeIds()) {
      const cb = await this.live.get(id);
      if (!cb || !['offering', 'dialing', 'connected'].includes(cb.state)) continue;
      for (const ch of [cb.agentChannel, cb.customerChannel]) {
        if (ch && !channels.has(ch)) await this.legGone(callbackMember(id), ch, 0);
      }
    }
  }
}
