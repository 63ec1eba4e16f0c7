import type { IvrIo, IvrLanguage } from '../../ivr/index.js';

// What a caller hears after the agent hung up, when the queue asks for a score. Spoken with
// the TTS cache (one espeak-ng run per text and language). Pure over the IvrIo port, so it is
// unit-tested with a scripted fake; the call handling around it is in post-call-survey.ts.

const TEXT: Record<IvrLanguage, Record<'question' | 'invalid' | 'thanks', string>> = {
  en: {
    question: 'Before you go, please rate the service you received today. Press a key from 1, poor, to 5, excellent.',
    invalid: 'Sorry, that is not a score. Please press a key from 1 to 5.',
    thanks: 'Thank you for your answer. Goodbye.',
  },
  zh: {
    question: '请您为本次服务评分。1分表示很差，5分表示非常满意，请按1到5。',
    invalid: '对不起，这不是有效的评分。请按1到5之间的数字键。',
    thanks: '感谢您的评价，再见。',
  },
};

export interface SurveyOptions {
  language: IvrLanguage;
  /** A stored prompt asked instead of the built-in question. */
  promptId?: number;
  /** Time to press a key, counted from the end of the question. */
  timeoutMs: number;
}

/**
 * `keys`: what the caller pressed at each question ('' = nothing in time). Without a score,
 * `reason` says why: silence, or a key outside 1..5 twice.
 */
export type SurveyAnswer = { score: number; reason?: undefined; keys: string[] } | { score?: undefined; reason: 'no-input' | 'invalid'; keys: string[] };

/** A key outside 1..5 gets one more try; silence ends the survey at once. */
const TRIES = 2;

export async function askForScore(io: IvrIo, o: SurveyOptions): Promise<SurveyAnswer> {
  const question = o.promptId !== undefined ? await io.media({ upload: o.promptId }, o.language) : await say(io, o.language, 'question');
  const keys: string[] = [];
  let media = question;
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const key = await io.ask(media, { maxDigits: 1, firstDigitTimeoutMs: o.timeoutMs, interDigitTimeoutMs: 1000 });
    keys.push(key);
    if (key === '') return { reason: 'no-input', keys };
    if (/^[1-5]$/.test(key)) return { score: Number(key), keys };
    media = [...(await say(io, o.language, 'invalid')), ...question];
  }
  return { reason: 'invalid', keys };
}

/** The goodbye after a score, or after a second key that was not one. */
export function thanks(io: IvrIo, language: IvrLanguage): Promise<string[]> {
  return say(io, language, 'thanks');
}

function say(io: IvrIo, language: IvrLanguage, key: keyof (typeof TEXT)['en']): Promise<string[]> {
  return io.media({ tts: TEXT[language][key], lang: language }, language);
}
