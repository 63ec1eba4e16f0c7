import { randomUUID } from 'node:crypto';
import { CallerGone, isOpen } from '../../ivr/index.js';
import { Value } from '@sinclair/typebox/value';
import { AppError, notFound } from '../../core/errors.js';
import { CallbackRequest } from '../schemas.js';
import type { AcdDeps, AcdService } from '../acd-service.js';
import { attrsOf } from '../acd-service.js';
import type { LiveCall } from '../live-calls.js';
import type { StoredQueue } from '../queue-repository.js';
import { priorityOf, virtualTime } from '../routing/priority.js';
import { callbackMember, canMoveCallback, isFinal, normaliseNumber, type CallbackState } from './callback-state.js';
import { confirmCallbackNumber, type DialogResult } from './confirm-dialog.js';
import type { LiveCallback } from './live-callbacks.js';
import type { CallbackFilter, CallbackRecord } from './callback-repository.js';

/** While calling hours are closed, a callback looks again this often. */
const CLOSED_RECHECK_MS = 60_000;

const callbackNotFound = (id: string) => notFound('callback-not-found', `no callback for interaction ${id}`);
const invalidCallback = (message: string) => new AppError(422, 'invalid-callback', message);

export interface NewCallback {
  interactionId: string;
  queue: string;
  number: string;
  did: string;
  source: 'caller' | 'api';
  language: string;
  score: number;
  minLevel: number;
  at: Date;
  notBefore?: Date;
  /** From the caller's call: how it answered its number's consent announcement. */
  consent?: string;
}

/**
 * Callbacks from request to queue: the caller's confirmation, the record, calling hours,
 * retries' waiting time and expiry. Once a callback waits in its queue's routing sets the
 * matcher offers it like a call, and the dialer (callback-dialer.ts) takes over.
 */
export class CallbackService {
  constructor(private readonly d: AcdDeps, private readonly acd: AcdService) {}

  private get live() {
    return this.d.callbacks.live;
  }

  /** A caller asked for a callback (exit key, overflow stage or a queue's diversion). */
  async requestFromCaller(call: LiveCall, queueName: string): Promise<void> {
    if (!(await this.d.queues.get(queueName))) return;
    if (!(await this.acd.move(call, call.state, 'confirming'))) return;
    await this.d.routing.remove(call.id);
    if (call.announcePlayback) await this.d.calls.stopPlayback(call.announcePlayback);
    await this.d.calls.stopMoh(call.callerChannel);
    // The dialog takes as long as the caller does: outside the call's serial chain.
    void this.dialog(call.id, queueName).catch((err: Error) => this.d.log.error({ interactionId: call.id, err: err.message }, 'callback dialog failed'));
  }

  private async dialog(callId: string, queueName: string): Promise<void> {
    const call = await this.d.live.get(callId);
    if (!call) return;
    const language = attrsOf(call).language === 'zh' ? 'zh' : 'en';
    let result: DialogResult;
    try {
      result = await this.d.ivr.withIo(call.callerChannel, (io) => confirmCallbackNumber(io, call.callerNumber, language));
    } catch (err) {
      if (err instanceof CallerGone) return;
      throw err;
    }
    await this.acd.serial(callId, () => this.settle(callId, queueName, result, language));
  }

  private async settle(callId: string, queueName: string, result: DialogResult, language: string): Promise<void> {
    const call = await this.d.live.get(callId);
    const q = await this.d.queues.get(queueName);
    if (call?.state !== 'confirming' || !q) return;
    if (result.kind === 'declined') {
      await this.d.interactions.event(callId, 'callback-declined', { queue: q.name, data: { reason: result.reason, keys: result.keys } });
      return this.backToPlace(call, q);
    }
    // A caller id we may not dial back (international, premium: a classic toll-fraud trick)
    // keeps the caller's place instead of scheduling a call we would refuse later.
    const refused = await this.d.callbacks.policy.check(result.number, result.number.replace(/[^0-9]/g, '')).then(() => undefined, (err: Error) => err.message);
    if (refused) {
      await this.d.interactions.event(callId, 'callback-declined', { queue: q.name, data: { reason: 'dial-refused', detail: refused } });
      return this.backToPlace(call, q);
    }
    const now = new Date();
    const score = call.score ?? virtualTime(now.getTime(), priorityOf(attrsOf(call), q.priority), q.priority.creditSec);
    await this.create({
      interactionId: call.id, queue: q.name, number: result.number, did: call.did, source: 'caller', language,
      score, minLevel: call.minLevel ?? q.minLevel, at: now, consent: call.consent,
    });
    if (!(await this.acd.move(call, 'confirming', 'leaving'))) return;
    await this.d.live.patch(callId, { leftTo: 'callback-requested' });
    await this.d.calls.hangup(call.callerChannel);
  }

  /** A caller left in the dialog by a restart goes back to its place. */
  async returnToQueue(callId: string): Promise<void> {
    const call = await this.d.live.get(callId);
    const q = call && (await this.d.queues.get(call.queue));
    if (call?.state === 'confirming' && q) await this.backToPlace(call, q);
  }

  /** Declined: back to the place it had. A caller diverted before it ever had one is let go. */
  private async backToPlace(call: LiveCall, q: StoredQueue): Promise<void> {
    if (call.score === undefined || !call.queuedAt) {
      await this.d.live.patch(call.id, { leftTo: 'callback-declined' });
      return this.acd.completion.end({ ...call, leftTo: 'callback-declined' }, 'system');
    }
    if (!(await this.acd.move(call, 'confirming', 'waiting'))) return;
    await this.d.routing.enqueue(call.id, q.name, call.score, call.minLevel ?? q.minLevel);
    for (const other of (call.alsoIn ?? '').split(',').filter(Boolean)) await this.d.routing.alsoQueue(call.id, other);
    await this.d.calls.startMoh(call.callerChannel);
    await this.acd.matcher.matchQueue(q.name);
  }

  /** Records a callback and lets it into its queue as soon as calling hours and notBefore allow. */
  async create(n: NewCallback): Promise<LiveCallback> {
    const q = await this.d.queues.get(n.queue);
    if (!q) throw invalidCallback(`no queue named ${n.queue}`);
    const expiresAt = new Date(n.at.getTime() + q.callback.expireAfterMin * 60_000);
    const cb: LiveCallback = {
      id: n.interactionId, state: 'scheduled', queue: q.name, number: n.number, did: n.did, language: n.language,
      score: n.score, minLevel: n.minLevel, attempts: 0, offers: 0, requestedAt: n.at.toISOString(), expiresAt: expiresAt.toISOString(),
      ...(n.consent ? { consent: n.consent } : {}),
    };
    await this.live.save(cb);
    await this.live.schedule(cb.id, (n.notBefore ?? n.at).getTime());
    await this.d.callbacks.records.insert({
      interactionId: cb.id, queue: q.name, number: n.number, did: n.did, source: n.source, status: 'scheduled', attempts: 0,
      requestedAt: n.at, expiresAt, nextAttemptAt: n.notBefore ?? null, agentId: null, connectedAt: null, endedAt: null, talkMs: null, lastResult: null,
    });
    await this.d.interactions.event(cb.id, 'callback-request', { queue: q.name, data: { number: n.number, source: n.source, expiresAt: cb.expiresAt } });
    this.d.log.info({ interactionId: cb.id, queue: q.name }, 'callback requested');
    if (!n.notBefore || n.notBefore.getTime() <= Date.now()) await this.release(cb.id, Date.now());
    return cb;
  }

  /** A callback asked for through the API (a web form, the CRM): a new interaction, at the back of the queue. */
  async createFromApi(raw: unknown): Promise<LiveCallback> {
    if (!Value.Check(CallbackRequest, raw)) {
      const problems = [...Value.Errors(CallbackRequest, raw)].map((e) => ({ path: e.path, message: e.message }));
      throw new AppError(422, 'invalid-callback', `${problems[0]?.path || 'body'}: ${problems[0]?.message ?? 'is not valid'}`, { problems });
    }
    const input: CallbackRequest = raw;
    const number = normaliseNumber(input.number);
    if (!number) throw invalidCallback('number must have 3 to 20 digits (an optional leading +)');
    await this.d.callbacks.policy.check(input.number, number.replace(/[^0-9]/g, ''));
    const q = await this.d.queues.get(input.queue);
    if (!q) throw invalidCallback(`no queue named ${input.queue}`);
    const at = new Date();
    const notBefore = input.notBefore ? new Date(input.notBefore) : undefined;
    if (notBefore && Number.isNaN(notBefore.getTime())) throw invalidCallback('notBefore must be an ISO date and time');
    const interactionId = randomUUID();
    await this.d.interactions.open({
      id: interactionId, direction: 'outbound', callerNumber: number, callerName: null, did: null, linkedid: null,
      asteriskSystem: this.d.settings.instanceName, enteredAt: at,
    });
    await this.d.interactions.update(interactionId, { queue: q.name, outcome: 'callback-requested', endedAt: at });
    const cb = await this.create({
      interactionId, queue: q.name, number, did: '', source: 'api', language: input.language === 'zh' ? 'zh' : 'en',
      score: at.getTime(), minLevel: q.minLevel, at, notBefore,
    });
    // The API answers with an interaction the caller can read back at once.
    await this.d.interactions.settled(interactionId);
    return cb;
  }

  /** Scheduled callbacks whose time came go into their queue; waiting ones expire or wait out closed hours. */
  async tick(now = Date.now()): Promise<void> {
    for (const id of await this.live.due(now)) await this.acd.serial(callbackMember(id), () => this.release(id, now));
    for (const id of await this.live.activeIds()) {
      await this.acd.serial(callbackMember(id), () => this.checkWaiting(id, now));
    }
  }

  private async release(id: string, now: number): Promise<void> {
    const cb = await this.live.get(id);
    if (cb?.state !== 'scheduled') return this.live.unschedule(id);
    const q = await this.d.queues.get(cb.queue);
    if (!q || now >= Date.parse(cb.expiresAt)) return this.finish(cb, 'scheduled', 'expired', 'callback-expired');
    if (!(await this.callingHoursOpen(q, now))) return this.live.schedule(id, now + CLOSED_RECHECK_MS);
    if (!(await this.move(cb, 'scheduled', 'waiting'))) return;
    await this.live.unschedule(id);
    await this.d.routing.enqueue(callbackMember(id), q.name, cb.score, cb.minLevel);
    await this.d.callbacks.records.update(id, { status: 'waiting', nextAttemptAt: null });
    await this.acd.matcher.matchQueue(q.name);
  }

  private async checkWaiting(id: string, now: number): Promise<void> {
    const cb = await this.live.get(id);
    if (cb?.state !== 'waiting') return;
    const q = await this.d.queues.get(cb.queue);
    if (!q || now >= Date.parse(cb.expiresAt)) return this.finish(cb, 'waiting', 'expired', 'callback-expired');
    if (await this.callingHoursOpen(q, now)) return;
    // Calling hours closed while it waited: out of the queue, same place when they open.
    if (!(await this.move(cb, 'waiting', 'scheduled'))) return;
    await this.d.routing.remove(callbackMember(id));
    await this.live.schedule(id, now + CLOSED_RECHECK_MS);
    await this.d.callbacks.records.update(id, { status: 'scheduled' });
  }

  /**
   * The queue's own calling hours, or the named schedule it uses, read now. A named schedule
   * that cannot be found reads as closed: calling customers at night is the worse mistake.
   */
  private async callingHoursOpen(q: StoredQueue, now: number): Promise<boolean> {
    const { hours, hoursScheduleId } = q.callback;
    if (hours) return isOpen(hours, new Date(now));
    if (hoursScheduleId === undefined) return true;
    const named = await this.d.schedule(hoursScheduleId);
    if (!named) this.d.log.error({ queue: q.name, scheduleId: hoursScheduleId }, 'calling-hours schedule missing, taken as closed');
    return named !== undefined && isOpen(named, new Date(now));
  }

  list(f: CallbackFilter): Promise<CallbackRecord[]> {
    return this.d.callbacks.records.list(f);
  }

  async get(id: string): Promise<CallbackRecord> {
    const r = await this.d.callbacks.records.get(id);
    if (!r) throw callbackNotFound(id);
    return r;
  }

  /** Cancels a callback that is not being made right now. */
  async cancel(id: string, by: string): Promise<void> {
    const cb = await this.live.get(id);
    if (!cb) {
      const rec = await this.d.callbacks.records.get(id);
      if (!rec) throw callbackNotFound(id);
      throw new AppError(409, 'callback-finished', `the callback is already ${rec.status}`);
    }
    if (cb.state !== 'scheduled' && cb.state !== 'waiting') {
      throw new AppError(409, isFinal(cb.state) ? 'callback-finished' : 'callback-in-progress', `the callback is ${cb.state}`);
    }
    await this.finish(cb, cb.state, 'cancelled', 'callback-cancel', { by });
  }

  /** Ends a callback that no agent holds: expired, cancelled. */
  private async finish(cb: LiveCallback, from: CallbackState, to: CallbackState, event: 'callback-expired' | 'callback-cancel', data: Record<string, unknown> = {}): Promise<void> {
    if (!(await this.move(cb, from, to))) return;
    await this.d.routing.remove(callbackMember(cb.id));
    await this.d.interactions.event(cb.id, event, { queue: cb.queue, data: { attempts: cb.attempts, ...data } });
    await this.d.callbacks.records.update(cb.id, { status: to, endedAt: new Date(), nextAttemptAt: null });
    await this.live.finish(cb.id);
  }

  async move(cb: LiveCallback, from: CallbackState, to: CallbackState): Promise<boolean> {
    if (!canMoveCallback(from, to) || !(await this.live.move(cb.id, from, to))) return false;
    this.d.log.info({ interactionId: cb.id, from, to }, 'callback state');
    return true;
  }
}
