import { createHash, randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, conflict, notFound } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { AudioToolError, convertUpload, synthesize, uploadFormats } from './prompt-audio.js';
import type { PromptLanguage, PromptRecord, PromptRepository } from './prompt-repository.js';
import type { FlowBody, Prompt, Step } from './schemas.js';

/**
 * The sounds directory as Asterisk sees it. Media are named by absolute path because
 * a relative `sound:` name is looked up under astdatadir (/usr/share/asterisk here),
 * which is package-owned and read-only for the server.
 */
export const ASTERISK_SOUNDS_DIR = '/var/lib/asterisk/sounds';
const MAX_TTS_CHARS = 600;

export const promptNotFound = (id: number) => notFound('prompt-not-found', `no prompt with id ${id}`);
export const invalidPrompt = (message: string) => new AppError(422, 'invalid-prompt', message);

export interface PromptDeps {
  repo: PromptRepository;
  /** Host path of ASTERISK_SOUNDS_DIR (inside the Asterisk chroot when there is one). */
  soundsDir: string;
  /** Flows that play an uploaded prompt; set by the room's wiring. */
  usedBy: (promptId: number) => Promise<string[]>;
  /** Numbers (DIDs) whose consent announcement it is, whatever its kind: they name its row. */
  numbersUsing?: (promptId: number) => Promise<string[]>;
  log: Logger;
}

export interface PromptResult {
  prompt: PromptRecord;
  /** False when an existing prompt was returned (same text, or the same sound uploaded before). */
  created: boolean;
}

const ttsKey = (language: PromptLanguage, text: string) => createHash('sha256').update(`${language}\n${text}`).digest('hex');

/** Every prompt a flow's steps play. */
export function promptsOfStep(step: Step): Prompt[] {
  if (step.type === 'menu' || step.type === 'collect') return [...step.prompt, ...(step.invalidPrompt ?? [])];
  if (step.type === 'play') return step.prompt;
  if (step.type === 'hangup') return step.prompt ?? [];
  return [];
}

export class PromptService {
  // Two callers asking for the same new text at once share one espeak-ng run.
  private readonly speaking = new Map<string, Promise<PromptResult>>();

  constructor(private readonly d: PromptDeps) {}

  list(): Promise<PromptRecord[]> {
    return this.d.repo.list();
  }

  async get(id: number): Promise<PromptRecord> {
    const p = await this.d.repo.get(id);
    if (!p) throw promptNotFound(id);
    return p;
  }

  /** The `sound:` URI Asterisk plays for a stored prompt. */
  mediaOf(p: Pick<PromptRecord, 'path'>): string {
    return `sound:${ASTERISK_SOUNDS_DIR}/${p.path}`;
  }

  /** Media URIs for a flow's prompt (the IvrIo port's `media`); text is spoken once and cached. */
  async media(p: Prompt, language: PromptLanguage): Promise<string[]> {
    if ('sound' in p) return [`sound:${p.sound}`];
    if ('upload' in p) return [this.mediaOf(await this.get(p.upload))];
    return [this.mediaOf((await this.tts(p.tts, p.lang ?? language)).prompt)];
  }

  /** Speaks the text once; later requests for the same language and text get the same prompt and file. */
  async tts(text: string, language: PromptLanguage): Promise<PromptResult> {
    const clean = text.trim();
    if (!clean || clean.length > MAX_TTS_CHARS) throw invalidPrompt(`the text must have 1 to ${MAX_TTS_CHARS} characters`);
    const key = ttsKey(language, clean);
    const pending = this.speaking.get(key);
    if (pending) return pending;
    const work = this.speak(key, clean, language).finally(() => this.speaking.delete(key));
    this.speaking.set(key, work);
    return work;
  }

  /** Generates the text prompts a flow plays, so its first caller does not wait for espeak-ng. */
  async warm(flow: FlowBody): Promise<void> {
    for (const step of Object.values(flow.steps)) {
      for (const p of promptsOfStep(step)) {
        if (!('tts' in p)) continue;
        try {
          await this.tts(p.tts, p.lang ?? flow.language);
        } catch (err) {
          this.d.log.warn({ flow: flow.name, err: (err as Error).message }, 'text prompt not generated ahead of calls');
        }
      }
    }
  }

  /**
   * Converts an uploaded sound. The same bytes uploaded again return the first prompt:
   * the hash is of the upload, since sox dithers and never converts twice to the same bytes.
   */
  async upload(input: { name: string; language: PromptLanguage; data: Buffer }): Promise<PromptResult> {
    const name = input.name.trim();
    if (!name || name.length > 128) throw invalidPrompt('the name must have 1 to 128 characters');
    if (!input.data.length) throw await unreadableAudio('the file is empty');
    const sha256 = createHash('sha256').update(input.data).digest('hex');
    const existing = await this.d.repo.byHash('upload', sha256);
    if (existing && (await isFile(this.hostFile(existing.path)))) return { prompt: existing, created: false };
    const staging = join(this.d.soundsDir, 'cc/prompts', `.upload-${randomBytes(6).toString('hex')}.wav`);
    try {
      const durationMs = await convertUpload(input.data, staging).catch(async (err: unknown) => {
        throw err instanceof AudioToolError ? await unreadableAudio(err.detail) : err;
      });
      const row = await this.d.repo.transaction(async (trx) => {
        const r = await this.d.repo.insertOnce({ name, kind: 'upload', language: input.language, text: null, sha256, path: 'cc/prompts/pending', durationMs }, trx);
        // Named by id, so the media name never changes; the row and the file appear together.
        const path = r.created ? `cc/prompts/${r.id}` : (await this.get(r.id)).path;
        await rename(staging, this.hostFile(path));
        if (r.created) await this.d.repo.setPath(r.id, path, trx);
        return r;
      });
      if (row.created) this.d.log.info({ promptId: row.id, name, durationMs }, 'prompt uploaded');
      return { prompt: await this.get(row.id), created: row.created };
    } finally {
      await rm(staging, { force: true });
    }
  }

  /** Refused while a flow plays it or a number announces it. Text prompts may go at any time: they are made again on demand. */
  async delete(id: number): Promise<void> {
    const p = await this.get(id);
    const flows = p.kind === 'upload' ? await this.d.usedBy(id) : [];
    const numbers = (await this.d.numbersUsing?.(id)) ?? [];
    const users = [...flows.map((f) => `flow ${f}`), ...numbers.map((n) => `DID ${n}`)];
    if (users.length) throw conflict('prompt-in-use', `prompt ${id} is played by ${users.join(', ')}; change those first`);
    await this.d.repo.delete(id);
    await rm(this.hostFile(p.path), { force: true });
    this.d.log.info({ promptId: id, kind: p.kind }, 'prompt deleted');
  }

  private async speak(key: string, text: string, language: PromptLanguage): Promise<PromptResult> {
    const path = `cc/tts/${key}`;
    const existing = await this.d.repo.byHash('tts', key);
    if (existing && (await isFile(this.hostFile(existing.path)))) return { prompt: existing, created: false };
    const durationMs = await synthesize(text, language, this.hostFile(path));
    const row = await this.d.repo.insertOnce({ name: text.slice(0, 60), kind: 'tts', language, text, sha256: key, path, durationMs });
    this.d.log.info({ promptId: row.id, language, durationMs }, 'text prompt generated');
    return { prompt: await this.get(row.id), created: row.created };
  }

  private hostFile(path: string): string {
    return join(this.d.soundsDir, `${path}.wav`);
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function unreadableAudio(detail: string): Promise<AppError> {
  const formats = await uploadFormats();
  return new AppError(422, 'unreadable-audio', `the file is not audio this server can read (${formats.join(', ')}): ${detail}`);
}
