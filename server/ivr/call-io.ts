import { randomUUID } from 'node:crypto';
import type { CallControl } from '../telephony/index.js';
import type { ChannelWatch } from './channel-watch.js';
import { CallerGone, type AskOptions, type IvrIo, type IvrLanguage } from './ivr-io.js';
import type { Prompt } from './schemas.js';

export interface PromptMedia {
  media(p: Prompt, language: IvrLanguage): Promise<string[]>;
}

/**
 * The IvrIo port over ARI for one caller's channel. Keys pressed while a prompt plays
 * stop it (barge-in) and are kept for the next question, so a caller who knows the menu
 * can type ahead ("2", "1") without waiting for each prompt.
 */
export class CallIo implements IvrIo {
  private readonly buffer: string[] = [];
  private wake: (() => void) | undefined;
  private gone = false;
  private readonly unlisten: () => void;

  constructor(private readonly d: { channelId: string; calls: CallControl; watch: ChannelWatch; prompts: PromptMedia }) {
    this.unlisten = d.watch.listen(d.channelId, {
      digit: (digit) => {
        this.buffer.push(digit);
        this.wake?.();
      },
      gone: () => {
        this.gone = true;
        this.wake?.();
      },
    });
  }

  close(): void {
    this.unlisten();
    this.wake?.();
  }

  now(): Date {
    return new Date();
  }

  media(p: Prompt, language: IvrLanguage): Promise<string[]> {
    return this.d.prompts.media(p, language);
  }

  async play(media: string[]): Promise<void> {
    await this.playUntil(media, () => false);
  }

  async ask(media: string[], o: AskOptions): Promise<string> {
    await this.playUntil(media, () => this.buffer.length > 0);
    let digits = '';
    let timeout = o.firstDigitTimeoutMs;
    while (digits.length < o.maxDigits) {
      const key = this.buffer.shift() ?? (await this.nextDigit(timeout));
      if (key === undefined) break;
      if (o.terminator && key === o.terminator) break;
      digits += key;
      timeout = o.interDigitTimeoutMs;
    }
    return digits;
  }

  async lookup(url: string, query: Record<string, string>, timeoutMs: number): Promise<Record<string, unknown>> {
    const u = new URL(url);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    const res = await fetch(u, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`lookup answered ${res.status}`);
    const body = (await res.json()) as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('lookup answer is not a JSON object');
    return body as Record<string, unknown>;
  }

  /** Plays media until it ends, the caller hangs up, or `stop()` turns true (then the prompt is cut). */
  private async playUntil(media: string[], stop: () => boolean): Promise<void> {
    this.assertHere();
    if (!media.length || stop()) return;
    const playbackId = `ivr-${randomUUID()}`;
    let finished = false;
    const done = new Promise<void>((resolve) => {
      this.d.watch.onPlaybackDone(playbackId, () => {
        finished = true;
        resolve();
      });
    });
    await this.d.calls.play(this.d.channelId, media, playbackId);
    while (!finished && !this.gone) {
      if (stop()) {
        this.d.watch.forgetPlayback(playbackId);
        await this.d.calls.stopPlayback(playbackId);
        break;
      }
      await Promise.race([done, new Promise<void>((r) => (this.wake = r))]);
    }
    this.wake = undefined;
    this.assertHere();
  }

  private nextDigit(timeoutMs: number): Promise<string | undefined> {
    this.assertHere();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        if (this.gone) reject(new CallerGone());
        else resolve(this.buffer.shift());
      };
    });
  }

  private assertHere(): void {
    if (this.gone) throw new CallerGone();
  }
}
