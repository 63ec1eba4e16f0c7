import type { Prompt } from './schemas.js';

// The port the flow runner talks to. It is implemented over ARI elsewhere; the runner
// only knows media URIs and digits, so it can be tested with a scripted fake.

export type IvrLanguage = 'en' | 'zh';

export interface AskOptions {
  maxDigits: number;
  /** Key that ends the input early; it is not included in the answer. */
  terminator?: string;
  /** Counted from the end of the prompt, not from its start. */
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
}

export interface IvrIo {
  /** Plays media; resolves when done. Rejects with CallerGone when the caller hangs up. */
  play(media: string[]): Promise<void>;
  /**
   * Plays media (the caller may press keys during it: barge-in), then waits for digits.
   * Resolves with the digits pressed ('' on timeout), stopping at maxDigits or the terminator.
   */
  ask(media: string[], o: AskOptions): Promise<string>;
  /** Resolves a Prompt (sound/upload/tts) to media URIs (the prompt service does TTS caching). */
  media(p: Prompt, language: IvrLanguage): Promise<string[]>;
  /** HTTP GET with a time limit; resolves the parsed JSON object or rejects. */
  lookup(url: string, query: Record<string, string>, timeoutMs: number): Promise<Record<string, unknown>>;
  now(): Date;
}

/** The caller hung up. Not a failure: the runner lets it through so the call's owner can clean up. */
export class CallerGone extends Error {
  constructor(message = 'caller hung up') {
    super(message);
    this.name = 'CallerGone';
  }
}
