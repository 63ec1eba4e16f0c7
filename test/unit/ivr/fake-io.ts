import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../server/core/logger.js';
import { runFlow, type RunDeps } from '../../../server/ivr/flow-runner.js';
import type { AskOptions, IvrIo } from '../../../server/ivr/ivr-io.js';
import type { FlowBody, PathEntry, Step } from '../../../server/ivr/schemas.js';

// A scripted IvrIo: answers are handed out in order, one per ask; an Error answer is thrown.
// Everything the runner does is recorded so a test can read it back as a conversation.

export type Said = { play: string[] } | { ask: string[]; options: AskOptions };

export interface FakeIoScript {
  answers?: (string | Error)[];
  /** Answer every ask not covered by `answers` with this, instead of failing the test. */
  otherwise?: string;
  lookup?: IvrIo['lookup'];
  now?: Date;
  playError?: Error;
}

export function fakeIo(script: FakeIoScript = {}) {
  const answers = [...(script.answers ?? [])];
  const said: Said[] = [];
  const io: IvrIo = {
    play: async (media) => {
      said.push({ play: media });
      if (script.playError) throw script.playError;
    },
    ask: async (media, options) => {
      said.push({ ask: media, options });
      const answer = answers.shift() ?? script.otherwise;
      if (answer === undefined) throw new Error('the script has no answer left for this ask');
      if (answer instanceof Error) throw answer;
      return answer;
    },
    media: async (p) => {
      if ('sound' in p) return [`sound:${p.sound}`];
      if ('upload' in p) return [`sound:uploads/${p.upload}`];
      return [`sound:tts/${p.tts}`];
    },
    lookup: script.lookup ?? (async () => { throw new Error('no lookup scripted'); }),
    now: () => script.now ?? new Date('2024-03-13T10:00:00Z'),
  };
  return { io, said, answersLeft: () => answers.length };
}

/** A logger whose output a test can read back as objects. */
export function memoryLog(): { log: Logger; entries: () => { level: number; msg: string; [k: string]: unknown }[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger('debug', sink as unknown as Parameters<typeof createLogger>[1]);
  return { log, entries: () => lines.map((l) => JSON.parse(l)) };
}

export const WARN = 40;
export const ERROR = 50;

export function flowOf(name: string, start: string, steps: Record<string, Step>, language: 'en' | 'zh' = 'en'): FlowBody {
  return { name, language, start, steps };
}

export const menu = (options: Record<string, string>, fallback: string, more: Partial<Extract<Step, { type: 'menu' }>> = {}): Step => ({
  type: 'menu', prompt: [{ sound: 'menu' }], options, timeoutSec: 5, maxRetries: 2, default: fallback, ...more,
});

export const collect = (into: string, next: string, failed: string, more: Partial<Extract<Step, { type: 'collect' }>> = {}): Step => ({
  type: 'collect', prompt: [{ sound: 'enter-account' }], into, minDigits: 1, maxDigits: 16, timeoutSec: 6, maxRetries: 2, next, failed, ...more,
});

export const queue = (name: string): Step => ({ type: 'queue', queue: name });
export const play = (sound: string, next: string): Step => ({ type: 'play', prompt: [{ sound }], next });
export const hangup = (): Step => ({ type: 'hangup' });

/** A runner over the fake port, with the flows it may load; `run()` starts at the first flow. */
export function setup(flows: FlowBody[], script: FakeIoScript = {}, more: Partial<RunDeps> = {}) {
  const fake = fakeIo(script);
  const { log, entries } = memoryLog();
  const attrs: Record<string, string> = {};
  const deps: RunDeps = {
    io: fake.io,
    loadFlow: async (name) => flows.find((f) => f.name === name),
    attrs,
    log,
    ...more,
  };
  return { ...fake, attrs, deps, entries, run: (start = flows[0]?.name ?? '') => runFlow(start, deps) };
}

/** "step:result" for each path entry, the shortest readable summary of a call. */
export const results = (path: PathEntry[]) => path.map((e) => `${e.step}:${e.result ?? ''}`);
