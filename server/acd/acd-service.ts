import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import type { CallControl, ChannelInfo } from '../telephony/index.js';
import type { AgentService } from '../agents/index.js';
import { isOfferable } from '../agents/index.js';
import type { InteractionService } from '../interactions/index.js';
import type { RecordingService } from '../recordings/index.js';
import type { AcdRepository, QueueRecord } from './acd-repository.js';
import type { LiveCalls, LiveCall } from './live-calls.js';
import { canMove, type CallState } from './call-state.js';
import { CallCompletion } from './call-completion.js';

export interface AcdDeps {
  calls: CallControl;
  agents: AgentService;
  interactions: InteractionService;
  recordings: RecordingService;
  repo: AcdRepository;
  live: LiveCalls;
  log: Logger;
  settings: { greeting: string; ringTimeoutSec: number; wrapUpSec: number; instanceName: string };
}

/** Deterministic per offer, so a restarted server recognises its own agent legs. */
export const agentChannelId = (agentId: number, callId: string, attempt: number) => `agent-${agentId}-${attempt}-${callId}`;

/**
 * The walking-skeleton ACD: greet, hold with music, offer the longest-idle offerable
 * agent of the DID's queue, bridge and record. Skills, priorities and overflow build on it.
 */
export class AcdService {
  readonly completion: CallCompletion;
  private readonly queues = new Map<string, QueueRecord>();

  constructor(private readonly d: AcdDeps) {
    this.completion = new CallCompletion(d);
  }

  async inbound(channel: ChannelInfo, did: string): Promise<void> {
    const id = randomUUID();
    const log = this.d.log.child({ interactionId: id, channel: channel.id });
    const queue = await this.d.repo.queueForDid(did);
    const now = new Date();
    await this.d.interactions.open({
      id, direction: 'inbound', callerNumber: channel.caller.number || 'anonymous', callerName: channel.caller.name || null,
      did, linkedid: channel.id, asteriskSystem: this.d.settings.instanceName, enteredAt: now,
    });
    await this.d.interactions.event(id, 'enter', { data: { did, caller: channel.caller.number } });
    if (!queue) {
      log.warn({ did }, 'no route for this number');
      await this.d.calls.answer(channel.id);
      await this.d.calls.play(channel.id, 'sound:ss-noservice');
      await this.d.interactions.update(id, { endedAt: new Date(), outcome: 'no-route' });
      setTimeout(() => void this.d.calls.hangup(channel.id), 4000);
      return;
    }
    this.queues.set(queue.name, queue);
    const call: LiveCall = {
      id, state: 'greeting', callerChannel: channel.id, callerChannelName: channel.name, callerNumber: channel.caller.number,
      did, queue: queue.name, enteredAt: now.toISOString(),
    };
    await this.d.live.save(call);
    await this.d.calls.answer(channel.id);
    const playbackId = `greeting-${id}`;
    await this.d.live.patch(id, { greetingPlayback: playbackId } as Partial<LiveCall>);
    await this.d.calls.play(channel.id, this.d.settings.greeting, playbackId);
    await this.d.interactions.event(id, 'greeting', { queue: queue.name });
  }

  /** The greeting ended (or was cut): the caller joins the queue with music on hold. */
  async greetingDone(callId: string): Promise<void> {
    const call = await this.d.live.get(callId);
    if (!call || !(await this.move(call, 'greeting', 'waiting'))) return;
    const queuedAt = new Date();
    await this.d.calls.startMoh(call.callerChannel);
    await this.d.live.patch(callId, { queuedAt: queuedAt.toISOString(), score: queuedAt.getTime() });
    await this.d.live.enqueue(call.queue, callId, queuedAt.getTime());
    await this.d.interactions.update(callId, { queue: call.queue, queuedAt });
    await this.d.interactions.event(callId, 'enter-queue', { queue: call.queue });
    await this.match();
  }

  /** Offers waiting calls to free agents until one side runs out. Safe to call any time. */
  async match(): Promise<void> {
    const queues = [...this.queues.keys()].length ? [...this.queues.keys()] : (await this.d.repo.queues()).map((q) => q.name);
    for (const queue of await this.d.live.waitingQueues(queues)) {
      for (;;) {
        const candidates = await this.candidates(queue);
        const reserved = await this.d.live.reserve(queue, candidates);
        if (!reserved) break;
        await this.offer(reserved.callId, reserved.agentId);
      }
    }
  }

  /** Longest idle first among agents whose phone is registered and idle. */
  private async candidates(queue: string): Promise<number[]> {
    const views = await this.d.agents.viewsOf(await this.d.agents.inQueue(queue));
    return views
      .filter((v) => isOfferable(v.state, v.registered, v.deviceState))
      .sort((a, b) => a.stateSince.localeCompare(b.stateSince))
      .map((v) => v.id);
  }

  private async offer(callId: string, agentId: number): Promise<void> {
    const call = await this.d.live.get(callId);
    const agent = await this.d.agents.get(agentId);
    await this.d.agents.announce(agentId, 'ready', 'reserved', callId);
    if (!call || !(await this.move(call, 'waiting', 'offering'))) {
      await this.d.agents.move(agentId, 'reserved', 'ready');
      return;
    }
    const attempt = (call.offers ?? 0) + 1;
    const channelId = agentChannelId(agentId, callId, attempt);
    await this.d.live.patch(callId, { agentId, agentChannel: channelId, offers: attempt });
    await this.d.live.linkChannel(channelId, callId);
    await this.d.interactions.event(callId, 'offer', { queue: call.queue, agentId });
    try {
      await this.d.calls.createChannel({
        channelId, endpoint: `PJSIP/${agent.extension}`, appArgs: `agent,${callId},${agentId}`,
        originator: call.callerChannel, callerId: `"${call.callerNumber}" <${call.callerNumber}>`,
      });
      await this.d.agents.move(agentId, 'reserved', 'ringing', { interactionId: callId });
      await this.d.calls.dial(channelId, call.callerChannel, this.queues.get(call.queue)?.ringTimeoutS ?? this.d.settings.ringTimeoutSec);
    } catch (err) {
      this.d.log.warn({ interactionId: callId, agentId, err: (err as Error).message }, 'offer failed');
      await this.completion.agentLegGone(callId, channelId, 'offer-failed');
    }
  }

  /** The agent's phone answered: bridge the two legs and start recording. */
  async agentAnswered(callId: string, agentChannel: string): Promise<void> {
    const call = await this.d.live.get(callId);
    if (!call || call.agentChannel !== agentChannel || !(await this.move(call, 'offering', 'connected'))) {
      await this.d.calls.hangup(agentChannel);
      return;
    }
    const answeredAt = new Date();
    const bridgeId = `call-${callId}`;
    await this.d.calls.stopMoh(call.callerChannel);
    await this.d.calls.createBridge(bridgeId);
    await this.d.calls.addToBridge(bridgeId, [call.callerChannel, agentChannel]);
    const agentId = call.agentId as number;
    await this.d.agents.move(agentId, 'ringing', 'on_call', { interactionId: callId });
    const waitMs = answeredAt.getTime() - new Date(call.queuedAt ?? call.enteredAt).getTime();
    await this.d.interactions.update(callId, { agentId, answeredAt, waitMs });
    await this.d.interactions.event(callId, 'connect', { queue: call.queue, agentId, data: { waitMs } });
    try {
      const path = await this.d.recordings.start(call.callerChannelName, callId, answeredAt);
      await this.d.live.patch(callId, { answeredAt: answeredAt.toISOString(), recordingPath: path });
    } catch (err) {
      await this.d.live.patch(callId, { answeredAt: answeredAt.toISOString() });
      this.d.log.error({ interactionId: callId, err: (err as Error).message }, 'recording could not start');
    }
  }

  /** After (re)connecting: settle calls against what Asterisk has, then resume waiting ones. */
  async recover(): Promise<void> {
    await this.completion.reconcile();
    for (const id of await this.d.live.activeIds()) {
      const call = await this.d.live.get(id);
      // A greeting whose PlaybackFinished fell into the gap would wait forever.
      if (call?.state === 'greeting') await this.greetingDone(id);
    }
    await this.match();
  }

  private async move(call: LiveCall, from: CallState, to: CallState): Promise<boolean> {
    if (!canMove(from, to)) return false;
    const ok = await this.d.live.move(call.id, from, to);
    if (ok) this.d.log.info({ interactionId: call.id, from, to }, 'call state');
    return ok;
  }
}
