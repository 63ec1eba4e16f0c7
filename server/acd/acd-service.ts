import { randomUUID } from 'node:crypto';
import type { DialPolicy } from './outbound/dial-policy.js';
import type { Logger } from '../core/logger.js';
import type { CallControl, ChannelInfo } from '../telephony/index.js';
import type { AgentService } from '../agents/index.js';
import type { InteractionService } from '../interactions/index.js';
import type { RecordingService } from '../recordings/index.js';
import { CallerGone, type FlowOutcome, type IvrService, type Schedule } from '../ivr/index.js';
import type { LiveCalls, LiveCall } from './live-calls.js';
import type { QueueCache } from './queue-cache.js';
import type { LiveStats } from './live-stats.js';
import type { RoutingStore } from './routing/routing-store.js';
import type { AgentRouting } from './agent-routing.js';
import type { Diversion } from './schemas.js';
import { priorityOf, virtualTime } from './routing/priority.js';
import { canMove, type CallState } from './call-state.js';
import { CallCompletion } from './call-completion.js';
import { Matcher } from './matcher.js';
import { CallbackService } from './callbacks/callback-service.js';
import { CallbackDialer } from './callbacks/callback-dialer.js';
import type { LiveCallbacks } from './callbacks/live-callbacks.js';
import type { CallbackRecords } from './callbacks/callback-records.js';
import { IvrProgress } from './ivr-progress.js';
import { runConsent, type DidRouting } from './consent.js';

export interface AcdDeps {
  calls: CallControl;
  agents: AgentService;
  interactions: InteractionService;
  recordings: RecordingService;
  ivr: IvrService;
  didRoute(did: string): Promise<DidRouting | undefined>;
  /** A named business-hours schedule as it is now (queues' calling hours). */
  schedule(id: number): Promise<Schedule | undefined>;
  live: LiveCalls;
  routing: RoutingStore;
  queues: QueueCache;
  stats: LiveStats;
  agentRouting: AgentRouting;
  /** Callbacks' live state and records; customers are dialled through the trunk's endpoint to its address. */
  callbacks: { live: LiveCallbacks; records: CallbackRecords; trunk: { endpoint: string; host: string }; policy: DialPolicy };
  log: Logger;
  settings: { greeting: string; ringTimeoutSec: number; wrapUpSec: number; instanceName: string };
}

export const attrsOf = (call: LiveCall): Record<string, string> => (call.attrs ? (JSON.parse(call.attrs) as Record<string, string>) : {});

/**
 * Where a call goes from its first ring until an agent is offered it: IVR flow or
 * greeting, then the queue with its priority; diversions when a queue cannot take it.
 */
export class AcdService {
  readonly completion: CallCompletion;
  readonly matcher: Matcher;
  readonly callbacks: CallbackService;
  readonly dialer: CallbackDialer;
  /** Calls whose IVR walk runs in this process: a reconnect must not start them a second time. */
  private readonly walking = new Set<string>();

  constructor(readonly deps: AcdDeps) {
    const d = deps;
    this.completion = new CallCompletion(d);
    this.matcher = new Matcher(d, this.completion, (r) => this.dialer.offer(r));
    this.callbacks = new CallbackService(d, this);
    this.dialer = new CallbackDialer(d, this.completion, this.callbacks);
    this.completion.rematch = (queue) => this.matcher.matchQueue(queue);
  }

  async inbound(channel: ChannelInfo, did: string): Promise<void> {
    const id = randomUUID();
    const now = new Date();
    // Answered at once: every caller is answered (a greeting, a menu or no-service), so
    // the carrier's 200 OK waits for nothing of ours.
    const answering = this.deps.calls.answer(channel.id);
    await this.deps.interactions.open({
      id, direction: 'inbound', callerNumber: channel.caller.number || 'anonymous', callerName: channel.caller.name || null,
      did, linkedid: channel.id, asteriskSystem: this.deps.settings.instanceName, enteredAt: now,
    });
    await this.deps.interactions.event(id, 'enter', { data: { did, caller: channel.caller.number } });
    const route = await this.deps.didRoute(did);
    await answering;
    if (!route || (!route.flow && !route.queue)) return this.noRoute(id, channel.id, did);
    const call: LiveCall = {
      id, state: route.flow ? 'ivr' : 'greeting', callerChannel: channel.id, callerChannelName: channel.name,
      callerNumber: channel.caller.number, callerName: channel.caller.name || undefined, did, queue: route.queue ?? '', enteredAt: now.toISOString(), attrs: '{}',
    };
    await this.deps.live.save(call);
    if (route.consentPrompt) return this.startConsent(call, route);
    return this.afterConsent(call, route.flow);
  }

  /** Into the DID's flow, or the greeting before its queue. */
  private async afterConsent(call: LiveCall, flow: string | null): Promise<void> {
    if (flow) return this.startIvr(call.id, flow);
    await this.deps.calls.play(call.callerChannel, this.deps.settings.greeting, `greeting-${call.id}`);
    await this.deps.interactions.event(call.id, 'greeting', { queue: call.queue });
  }

  /** The number's consent announcement first (consent.ts), outside the call's serial chain like an IVR walk. */
  private startConsent(call: LiveCall, route: DidRouting): void {
    this.walking.add(call.id);
    // Unless the caller hung up (or was moved) meanwhile: read under the call's chain.
    const next = () => this.serial(call.id, async () => {
      const now = await this.deps.live.get(call.id);
      if (now && now.state === call.state) await this.afterConsent(now, route.flow);
    });
    void runConsent(this.deps, call, route, next)
      .catch((err: Error) => this.deps.log.error({ interactionId: call.id, err: err.message }, 'consent announcement failed'))
      .finally(() => this.walking.delete(call.id));
  }

  private async noRoute(id: string, channelId: string, did: string): Promise<void> {
    this.deps.log.warn({ did, interactionId: id }, 'no route for this number');
    await this.deps.calls.play(channelId, 'sound:ss-noservice');
    await this.deps.interactions.update(id, { endedAt: new Date(), outcome: 'no-route' });
    setTimeout(() => void this.deps.calls.hangup(channelId), 4000);
  }

  /** The greeting ended (or was cut): the caller joins the DID's queue. */
  async greetingDone(callId: string): Promise<void> {
    const call = await this.deps.live.get(callId);
    if (call?.state === 'greeting') await this.enqueue(call, call.queue);
  }

  /**
   * Runs the IVR outside the call's serial event chain (it takes as long as the caller
   * does); its result comes back through `serial` so it never races a hang-up.
   */
  startIvr(callId: string, flow: string, startStep?: string): void {
    this.walking.add(callId);
    void this.runIvr(callId, flow, startStep)
      .catch((err: Error) => this.deps.log.error({ interactionId: callId, err: err.message }, 'ivr failed'))
      .finally(() => this.walking.delete(callId));
  }

  /** Set by the Stasis handler: runs fn after the call's earlier events. */
  serial: (callId: string, fn: () => Promise<void>) => Promise<void> = (_id, fn) => fn();

  private async runIvr(callId: string, flow: string, startStep?: string): Promise<void> {
    const call = await this.deps.live.get(callId);
    if (!call) return;
    const attrs = attrsOf(call);
    const progress = new IvrProgress(this.deps.live, call, attrs);
    await progress.start(flow);
    await this.deps.interactions.event(callId, 'ivr-enter', { data: { flow } });
    let result;
    try {
      result = await this.deps.ivr.run({
        interactionId: callId, channelId: call.callerChannel, flow, attrs, startStep,
        onStep: async (e) => {
          await this.deps.interactions.event(callId, 'ivr-step', { data: { ...e } });
          await progress.step(e);
        },
      });
    } catch (err) {
      if (err instanceof CallerGone) return;
      throw err;
    }
    // A caller may pass through several flows (overflow to a flow): the path accumulates.
    const path = progress.path(result.path);
    await this.deps.live.patch(callId, { attrs: JSON.stringify(attrs), ivrPath: JSON.stringify(path) });
    await this.deps.interactions.update(callId, { ivrPath: path, attrs });
    await this.serial(callId, () => this.route(callId, result.outcome));
  }

  /** Where the IVR handed the call. */
  private async route(callId: string, outcome: FlowOutcome): Promise<void> {
    const call = await this.deps.live.get(callId);
    if (!call || call.state !== 'ivr') return;
    this.deps.log.info({ interactionId: callId, outcome }, 'ivr done');
    switch (outcome.kind) {
      case 'queue': return this.enqueue(call, outcome.queue);
      case 'voicemail': return this.leave(call, 'voicemail', 'cc-voicemail', outcome.mailbox);
      case 'extension': return this.leave(call, 'extension', 'cc-extension', outcome.extension);
      case 'agent': return this.toAgent(call, outcome.agent);
      case 'hangup':
        await this.deps.interactions.event(callId, 'ivr-hangup');
        await this.completion.end({ ...call, leftTo: 'ivr-hangup' }, 'system');
    }
  }

  /** A flow's agent step rings the desk phone the agent is on now, outside any queue. */
  private async toAgent(call: LiveCall, number: string): Promise<void> {
    const agent = (await this.deps.agents.listWithDevices()).find((a) => a.number === number);
    if (!agent) return this.completion.end(call, 'system');
    await this.leave(call, 'agent', 'cc-extension', agent.phone);
  }

  /** Hands the caller to the dialplan (voicemail, an extension); the interaction ends here. */
  async leave(call: LiveCall, kind: string, context: string, target: string): Promise<void> {
    const safe = target.replace(/[^0-9]/g, '');
    if (!(await this.move(call, call.state, 'leaving'))) return;
    await this.deps.live.patch(call.id, { leftTo: kind });
    await this.deps.routing.remove(call.id);
    await this.deps.calls.stopMoh(call.callerChannel);
    await this.deps.interactions.event(call.id, 'leave', { queue: call.queue || undefined, data: { to: kind, target: safe } });
    await this.deps.calls.continueInDialplan(call.callerChannel, context, safe);
  }

  /** The caller enters `queueName`, unless the queue's rules divert it first. */
  async enqueue(call: LiveCall, queueName: string): Promise<void> {
    const q = await this.deps.queues.get(queueName);
    if (!q) {
      this.deps.log.error({ interactionId: call.id, queue: queueName }, 'queue missing, caller hears no-service');
      return this.completion.end(call, 'system');
    }
    const diversion = await this.diversionFor(q.name, q.whenNoAgents, q.maxWaiting, q.whenFull);
    if (diversion) return this.divert(call, q.name, diversion);
    const now = new Date();
    const priority = priorityOf(attrsOf(call), q.priority);
    const score = virtualTime(now.getTime(), priority, q.priority.creditSec);
    await this.deps.live.patch(call.id, { queue: q.name, queuedAt: now.toISOString(), score, priority, minLevel: q.minLevel, fired: '' });
    if (!(await this.move(call, call.state, 'waiting'))) return;
    // Written before the call becomes visible to routing: an agent freed meanwhile could
    // otherwise be offered it first, and the timeline would show the offer before the entry.
    // The place it takes (queue_log's ENTERQUEUE and later origposition fields carry it).
    const position = await this.deps.routing.placeFor(q.name, score);
    await this.deps.interactions.event(call.id, 'enter-queue', { queue: q.name, data: { priority, score, position } });
    await this.deps.routing.enqueue(call.id, q.name, score, q.minLevel);
    await this.deps.calls.startMoh(call.callerChannel);
    await this.deps.interactions.update(call.id, { queue: q.name, queuedAt: now });
    await this.matcher.matchQueue(q.name);
  }

  private async diversionFor(queue: string, whenNoAgents?: Diversion, maxWaiting?: number, whenFull?: Diversion): Promise<Diversion | undefined> {
    if (whenNoAgents && !(await this.deps.agentRouting.staffed(queue))) return whenNoAgents;
    if (whenFull && maxWaiting && (await this.deps.routing.waitingCount(queue)) >= maxWaiting) return whenFull;
    return undefined;
  }

  async divert(call: LiveCall, from: string, to: Diversion): Promise<void> {
    await this.deps.interactions.event(call.id, 'divert', { queue: from, data: { ...to } });
    switch (to.type) {
      // Only enqueue's own rules divert to a queue, before the call has moved: `call` is current.
      case 'queue': return this.enqueue(call, to.queue);
      case 'flow':
        await this.deps.routing.remove(call.id);
        if (call.state === 'waiting') await this.deps.calls.stopMoh(call.callerChannel);
        if (call.state !== 'ivr' && !(await this.move(call, call.state, 'ivr'))) return;
        return this.startIvr(call.id, to.flow);
      case 'voicemail': return this.leave(call, 'voicemail', 'cc-voicemail', to.mailbox);
      case 'callback':
        return this.callbacks.requestFromCaller(call, from);
      case 'hangup':
        // Named, so reports never count a refused caller as one who gave up.
        return this.completion.end({ ...call, leftTo: 'diverted-hangup' }, 'system');
    }
  }

  /** After (re)connecting: settle calls against what Asterisk has, then resume waiting ones. */
  async recover(): Promise<void> {
    await this.completion.reconcile();
    await this.dialer.reconcile(new Set((await this.deps.calls.listChannels()).map((c) => c.id)));
    await this.deps.agentRouting.syncAll();
    for (const id of await this.deps.live.activeIds()) {
      const call = await this.deps.live.get(id);
      // A greeting whose PlaybackFinished fell into the gap would wait forever.
      if (call?.state === 'greeting' && !this.walking.has(id)) await this.greetingDone(id);
      // The callback dialog died with the old process: the caller goes back to its place.
      if (call?.state === 'confirming') await this.callbacks.returnToQueue(id);
      // An IVR walk cannot resume mid-prompt: start the flow again (its path shows the restart).
      if (call?.state === 'ivr' && !this.walking.has(id)) await this.resumeIvr(call);
    }
    await this.matcher.matchAll();
  }

  /**
   * From the top of the flow it was in, not the step: attributes and path are kept step by
   * step, but the runner's position inside a step (a menu's retries) is not, and replaying
   * a flow's first steps is harmless (a flow sets what it sets again).
   */
  private async resumeIvr(call: LiveCall): Promise<void> {
    const flow = call.ivrFlow ?? (await this.deps.didRoute(call.did))?.flow;
    if (!flow) return this.completion.end(call, 'recovery');
    this.deps.log.info({ interactionId: call.id, flow }, 'ivr resumed from the top of its flow after a restart');
    this.startIvr(call.id, flow);
  }

  /** A call as other rooms may read it (the desk's screen pop); undefined once it has expired. */
  snapshot(callId: string): Promise<LiveCall | undefined> {
    return this.deps.live.get(callId);
  }

  async move(call: LiveCall, from: CallState, to: CallState): Promise<boolean> {
    if (!canMove(from, to)) return false;
    const ok = await this.deps.live.move(call.id, from, to);
    if (ok) this.deps.log.info({ interactionId: call.id, from, to }, 'call state');
    return ok;
  }
}
