import { CallerGone, type IvrLanguage } from '../../ivr/index.js';
import type { AcdDeps } from '../acd-service.js';
import type { CallState } from '../call-state.js';
import type { LiveCall } from '../live-calls.js';
import type { StoredQueue } from '../queue-repository.js';
import { askForScore, thanks, type SurveyAnswer } from './survey-dialog.js';

type Ender = 'caller' | 'agent' | 'system' | 'recovery';

/**
 * Whether a call that ends now goes to the survey of `q`, the queue the call is in at its
 * end: only a plain talk with an agent of ours that the agent ended. A caller who hung up
 * first is gone; a call held, mid-transfer or in a conference when it ends, a callback or
 * a click-to-dial call is not a plain queue call ending. A call transferred earlier (blind,
 * attended, to a queue) is judged by its last talk alone: its last agent's hang-up asks it.
 * A talk last handed to a number (nobody of ours: `agentId` unset) asks nothing, since the
 * score would rate nobody we know.
 */
export function surveyWanted(q: StoredQueue | undefined, call: LiveCall, by: Ender, stateAtEnd: CallState): boolean {
  return !!q?.survey?.enabled && by === 'agent' && stateAtEnd === 'connected' && call.agentId !== undefined
    && !call.leftTo && call.direction !== 'outbound';
}

function languageOf(call: LiveCall): IvrLanguage {
  try {
    return (JSON.parse(call.attrs ?? '{}') as Record<string, string>).language === 'zh' ? 'zh' : 'en';
  } catch {
    return 'en';
  }
}

/**
 * The survey after the call has ended: the interaction is closed (answered) and the agent is
 * in wrap-up before the caller hears the question, so the survey holds nobody but the
 * caller. It runs outside the call's serial chain (it takes as long as the caller does) and
 * always ends by hanging the caller up.
 */
export class PostCallSurvey {
  constructor(private readonly d: Pick<AcdDeps, 'ivr' | 'calls' | 'interactions' | 'log'>) {}

  start(call: LiveCall, q: StoredQueue): void {
    void this.run(call, q)
      .catch((err: Error) => this.d.log.error({ interactionId: call.id, err: err.message }, 'survey failed'))
      .finally(() => this.d.calls.hangup(call.callerChannel).catch(() => undefined));
  }

  private async run(call: LiveCall, q: StoredQueue): Promise<void> {
    const language = languageOf(call);
    let answer: SurveyAnswer | undefined;
    try {
      await this.d.ivr.withIo(call.callerChannel, async (io) => {
        // Asked once the io listens for the hang-up: a caller who left just before would
        // otherwise leave the question waiting for a playback that never ends.
        if (!(await this.d.calls.getVar(call.callerChannel, 'CHANNEL(state)'))) throw new CallerGone();
        answer = await askForScore(io, { language, promptId: q.survey.promptId, timeoutMs: q.survey.timeoutSec * 1000 });
        // Recorded before the goodbye: a caller who hangs up during it has still answered.
        if (answer.score !== undefined) await this.record(call, answer.score);
        if (answer.reason !== 'no-input') await io.play(await thanks(io, language));
      });
    } catch (err) {
      // Hanging up during the question is the caller's answer too: nothing is recorded.
      if (!(err instanceof CallerGone)) throw err;
    }
    this.d.log.info({ interactionId: call.id, score: answer?.score, reason: answer?.reason, keys: answer?.keys.length }, 'survey done');
  }

  private async record(call: LiveCall, score: number): Promise<void> {
    await this.d.interactions.event(call.id, 'survey-score', { queue: call.queue, agentId: call.agentId, data: { score } });
    await this.d.interactions.update(call.id, { csatScore: score });
  }
}
