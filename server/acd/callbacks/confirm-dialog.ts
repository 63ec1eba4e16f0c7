import type { IvrIo, IvrLanguage } from '../../ivr/index.js';
import { normaliseNumber } from './callback-state.js';

// What a waiting caller hears after asking for a callback: the number we would call is
// read back and confirmed, or another one entered. Spoken with the TTS cache, so the
// texts are generated once per language. Pure over the IvrIo port: unit-tested with a fake.

const TEXT: Record<IvrLanguage, Record<'intro' | 'confirm' | 'enter' | 'invalid' | 'done' | 'keep', string>> = {
  en: {
    intro: 'We will call you back at this number:',
    confirm: 'Press 1 to confirm. Press 2 to enter a different number. Press star to keep waiting.',
    enter: 'Please enter the number we should call, then press the hash key.',
    invalid: 'Sorry, that is not a number we can call.',
    done: 'Thank you. You keep your place, and we will call you back when it is your turn. Goodbye.',
    keep: 'You keep your place in the queue. Please hold.',
  },
  zh: {
    intro: '我们将回拨到这个号码:',
    confirm: '确认请按1,输入其他号码请按2,继续等待请按星号键。',
    enter: '请输入回拨号码,以井号键结束。',
    invalid: '对不起,这个号码无法回拨。',
    done: '谢谢。您的排队位置将被保留,轮到您时我们会给您回电。再见。',
    keep: '您仍保留在队列中的位置,请稍候。',
  },
};

/** `keys`: what the caller answered at each read-back, for the call events ('' = silence). */
export type DialogResult = { kind: 'confirmed'; number: string; keys: string[] } | { kind: 'declined'; reason: 'caller' | 'no-confirmation'; keys: string[] };

/** Rounds of read-back before the caller is sent back to wait. */
const MAX_ROUNDS = 3;

export async function confirmCallbackNumber(io: IvrIo, callerNumber: string, language: IvrLanguage): Promise<DialogResult> {
  const say = async (key: keyof (typeof TEXT)['en']) => io.media({ tts: TEXT[language][key], lang: language }, language);
  let candidate = normaliseNumber(callerNumber);
  const keys: string[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (!candidate) {
      const entered = await io.ask(await say('enter'), { maxDigits: 20, terminator: '#', firstDigitTimeoutMs: 8000, interDigitTimeoutMs: 4000 });
      candidate = normaliseNumber(entered);
      if (!candidate) {
        if (entered) await io.play(await say('invalid'));
        continue;
      }
    }
    const media = [...(await say('intro')), `digits:${candidate.replace('+', '')}`, ...(await say('confirm'))];
    const key = await io.ask(media, { maxDigits: 1, firstDigitTimeoutMs: 6000, interDigitTimeoutMs: 1000 });
    keys.push(key);
    if (key === '1') {
      await io.play(await say('done'));
      return { kind: 'confirmed', number: candidate, keys };
    }
    if (key === '*') return keepWaiting(io, await say('keep'), 'caller', keys);
    if (key === '2') candidate = undefined;
  }
  return keepWaiting(io, await say('keep'), 'no-confirmation', keys);
}

async function keepWaiting(io: IvrIo, media: string[], reason: 'caller' | 'no-confirmation', keys: string[]): Promise<DialogResult> {
  await io.play(media);
  return { kind: 'declined', reason, keys };
}
