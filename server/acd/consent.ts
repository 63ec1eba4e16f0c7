import type { Logger } from '../core/logger.js';
import type { InteractionService } from '../interactions/index.js';
import { CallerGone, type IvrService } from '../ivr/index.js';
import type { LiveCall, LiveCalls } from './live-calls.js';

/** How the consent announcement went: heard, declined with the opt-out key, or not playable. */
export type ConsentOutcome = 'announced' | 'declined' | 'unavailable';

/** Time after the announcement ends in which the opt-out key still counts: a caller pressing it on the last word. */
export const OPT_OUT_GRACE_MS = 2000;

/**
 * Plays a number's recording-consent announcement (PIPL) to the caller, before any flow or
 * queue. With an opt-out key, the caller may press it during the announcement (or just
 * after) to decline recording; any other key only cuts the announcement short. Rejects with
 * CallerGone when the caller hangs up. An announcement that cannot be played reads as
 * 'unavailable': the caller was not told, so the call must not be recorded either.
 */
export async function announceConsent(ivr: Pick<IvrService, 'withIo'>, channelId: string, promptId: number, optOutKey: string | null | undefined): Promise<ConsentOutcome> {
  return ivr.withIo(channelId, async (io) => {
    let media: string[];
    try {
      // An id names a prompt row of either kind (upload or text); both are files by then.
      media = await io.media({ upload: promptId }, 'en');
    } catch {
      return 'unavailable';
    }
    if (!optOutKey) {
      await io.play(media);
      return 'announced';
    }
    const key = await io.ask(media, { maxDigits: 1, firstDigitTimeoutMs: OPT_OUT_GRACE_MS, interDigitTimeoutMs: OPT_OUT_GRACE_MS });
    return key === optOutKey ? 'declined' : 'announced';
  });
}

/** What the ACD reads of a DID when a call arrives. */
export interface DidRouting {
  flow: string | null;
  queue: string | null;
  recording?: boolean;
  /** The recording-consent prompt callers hear first, and the key that declines recording. */
  consentPrompt?: number | null;
  consentOptOutKey?: string | null;
}

interface ConsentDeps {
  ivr: Pick<IvrService, 'withIo'>;
  live: Pick<LiveCalls, 'patch'>;
  interactions: Pick<InteractionService, 'event'>;
  log: Logger;
}

/**
 * The announcement, then its outcome on the live call (the recording policy reads it when
 * an agent answers: recording starts only then, so it never holds the announcement) and in
 * the call events; then `next` takes the caller on.
 */
export async function runConsent(d: ConsentDeps, call: LiveCall, route: DidRouting, next: () => Promise<void>): Promise<void> {
  const promptId = route.consentPrompt as number;
  let outcome: ConsentOutcome;
  try {
    outcome = await announceConsent(d.ivr, call.callerChannel, promptId, route.consentOptOutKey);
  } catch (err) {
    if (err instanceof CallerGone) return;
    throw err;
  }
  await d.live.patch(call.id, { consent: outcome });
  await d.interactions.event(call.id, `consent-${outcome}`, { queue: call.queue || undefined, data: { prompt: promptId } });
  d.log.info({ interactionId: call.id, outcome }, 'consent announcement done');
  await next();
}
