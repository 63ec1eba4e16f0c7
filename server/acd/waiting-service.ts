import type { AcdDeps, AcdService } from './acd-service.js';
import type { LiveCall } from './live-calls.js';
import type { StoredQueue } from './queue-repository.js';
import { dueStages, widenedLevel, type DueStage } from './routing/overflow.js';
import { estimatedWaitSec, shouldAnnounce, waitMinutesToAnnounce } from './routing/eta.js';

/** Longer than any announcement we play; past it, an announcement whose end never came is forgotten. */
const ANNOUNCEMENT_MAX_MS = 60_000;

/**
 * What happens to a caller while it waits: overflow stages as its wait grows, periodic
 * position and wait announcements, and the key that lets it leave the queue.
 * Driven by the ACD tick; every step re-reads the call, so a tick that overlaps an
 * event (an offer, a hang-up) finds the call moved on and does nothing.
 */
export class WaitingService {
  constructor(private readonly d: AcdDeps, private readonly acd: AcdService) {}

  async tick(now = Date.now()): Promise<void> {
    for (const id of await this.d.live.activeIds()) {
      const call = await this.d.live.get(id);
      if (call?.state !== 'waiting' || !call.queuedAt) continue;
      const q = await this.d.queues.get(call.queue);
      if (!q) continue;
      await this.acd.serial(id, () => this.step(id, q, now)).catch((err: Error) => this.d.log.warn({ interactionId: id, err: err.message }, 'waiting step failed'));
    }
  }

  private async step(id: string, q: StoredQueue, now: number): Promise<void> {
    const call = await this.d.live.get(id);
    if (call?.state !== 'waiting' || !call.queuedAt) return;
    const fired = (call.fired ?? '').split(',').filter(Boolean).map(Number);
    const due = dueStages(q.overflow, new Date(call.queuedAt).getTime(), now, fired);
    for (const stage of due) {
      await this.d.live.patch(id, { fired: [...fired, stage.index].join(',') });
      fired.push(stage.index);
      await this.apply(call, q, stage);
    }
    const after = await this.d.live.get(id);
    if (after?.state !== 'waiting') return;
    const lastAt = after.lastAnnouncedAt ? Date.parse(after.lastAnnouncedAt) : undefined;
    // One announcement at a time (position 1 alone is 5 s of speech): the next is counted from the
    // end of the last. An end lost in an ARI gap stops blocking after a while, so music comes back.
    const playing = !!after.announcePlayback && lastAt !== undefined && now - lastAt < ANNOUNCEMENT_MAX_MS;
    if (!playing && shouldAnnounce(q.announceEverySec, lastAt, Date.parse(after.queuedAt as string), now)) {
      await this.announce(after, q);
    }
  }

  private async apply(call: LiveCall, q: StoredQueue, stage: DueStage): Promise<void> {
    const a = stage.rule.action;
    await this.d.interactions.event(call.id, 'overflow', { queue: q.name, data: { stage: stage.index, afterSec: stage.rule.afterSec, ...a } });
    this.d.log.info({ interactionId: call.id, queue: q.name, action: a.type }, 'overflow stage');
    switch (a.type) {
      case 'widen': {
        const level = widenedLevel(call.minLevel ?? q.minLevel, stage.rule);
        await this.d.routing.setMinLevel(call.id, level);
        await this.d.live.patch(call.id, { minLevel: level });
        return this.acd.matcher.matchQueue(q.name);
      }
      case 'also_queue':
        if (await this.d.routing.alsoQueue(call.id, a.queue)) {
          await this.d.live.patch(call.id, { alsoIn: [...(call.alsoIn ?? '').split(',').filter(Boolean), a.queue].join(',') });
        }
        return this.acd.matcher.matchQueue(a.queue);
      case 'flow':
        return this.acd.divert(call, q.name, { type: 'flow', flow: a.flow });
      case 'voicemail':
        return this.acd.divert(call, q.name, { type: 'voicemail', mailbox: a.mailbox });
      case 'callback':
        return this.acd.divert(call, q.name, { type: 'callback' });
    }
  }

  /** "You are caller number N; your expected wait is about M minutes" (no estimate without history). */
  private async announce(call: LiveCall, q: StoredQueue): Promise<void> {
    const position = await this.d.routing.position(call.id, q.name);
    if (!position) return;
    const serving = await this.d.agentRouting.serving(q.name);
    const minutes = waitMinutesToAnnounce(estimatedWaitSec(position, await this.d.stats.handleTimes(q.name), serving));
    // queue-thereare says "You are currently caller number", so it takes the caller's own position.
    const media = position === 1 ? ['sound:queue-youarenext'] : ['sound:queue-thereare', `number:${position}`, 'sound:queue-callswaiting'];
    if (minutes !== undefined) media.push('sound:queue-holdtime', `number:${minutes}`, minutes === 1 ? 'sound:queue-minute' : 'sound:queue-minutes');
    const playbackId = `announce-${call.id}-${Date.now()}`;
    await this.d.live.patch(call.id, { lastAnnouncedAt: new Date().toISOString(), announcePlayback: playbackId });
    await this.d.calls.stopMoh(call.callerChannel);
    await this.d.calls.play(call.callerChannel, media, playbackId);
    await this.d.interactions.event(call.id, 'announce', { queue: q.name, data: { position, minutes: minutes ?? null } });
  }

  /** The announcement ended: music again, if the caller is still waiting. */
  async announcementDone(callId: string, playbackId: string): Promise<void> {
    const call = await this.d.live.get(callId);
    if (call?.announcePlayback !== playbackId) return;
    await this.d.live.clear(callId, ['announcePlayback']);
    await this.d.live.patch(callId, { lastAnnouncedAt: new Date().toISOString() });
    if (call.state === 'waiting') await this.d.calls.startMoh(call.callerChannel);
  }

  /** A key pressed while waiting: the queue's exit key leaves for voicemail (or a callback). */
  async key(callId: string, digit: string): Promise<void> {
    const call = await this.d.live.get(callId);
    if (call?.state !== 'waiting') return;
    const q = await this.d.queues.get(call.queue);
    if (!q?.exitKey || q.exitKey.digit !== digit) return;
    await this.d.interactions.event(callId, 'exit-key', { queue: q.name, data: { digit, to: q.exitKey.to } });
    if (q.exitKey.to === 'voicemail') return this.acd.leave(call, 'voicemail', 'cc-voicemail', q.exitKey.mailbox ?? '100');
    return this.acd.divert(call, q.name, { type: 'callback' });
  }
}
