import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { PromptLanguage } from './prompt-repository.js';

// Audio for prompts, made with two command-line tools (Debian packages espeak-ng and sox).
// Everything Asterisk plays is written as 8 kHz mono 16-bit PCM WAV, which Asterisk
// plays as slin without transcoding. Files appear under their final name only when
// complete (written beside it, then renamed), so a call never plays half a file.

/** espeak-ng voice per prompt language; `cmn` is Mandarin. */
const VOICES: Record<PromptLanguage, string> = { en: 'en', zh: 'cmn' };
const TELEPHONE_WAV = ['-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'wav'];
const TOOL_TIMEOUT_MS = 60_000;
/** Formats we offer for upload, if this machine's sox can read them (Debian's sox has no mp3 by default). */
const UPLOAD_FORMATS = ['wav', 'ogg', 'flac', 'mp3', 'aiff', 'au'];

/** A tool ran and failed; `detail` is what it printed on stderr. */
export class AudioToolError extends Error {
  constructor(readonly tool: string, readonly detail: string) {
    super(`${tool} failed: ${detail || 'no message'}`);
    this.name = 'AudioToolError';
  }
}

function run(tool: string, args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: TOOL_TIMEOUT_MS });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // A tool that exits before reading its input (a bad file) closes the pipe under us.
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new AudioToolError(tool, err.trim().slice(0, 300)))));
    child.stdin.end(input);
  });
}

let formats: Promise<string[]> | undefined;

/** Upload formats this machine's sox reads, from `sox -h` (asked once). */
export function uploadFormats(): Promise<string[]> {
  formats ??= run('sox', ['-h']).then(
    (help) => {
      const line = help.split('\n').find((l) => l.startsWith('AUDIO FILE FORMATS:')) ?? '';
      const known = new Set(line.slice('AUDIO FILE FORMATS:'.length).trim().split(/\s+/));
      return UPLOAD_FORMATS.filter((f) => known.has(f));
    },
    () => [],
  );
  return formats;
}

/** Creates the directory and any missing parents readable by everyone (Asterisk runs as another user). */
export async function ensureDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: 0o755 });
  if (!created) return;
  // mkdir's mode is cut by the umask; set it explicitly on each directory made here.
  for (let d = dir; d.length >= created.length; d = dirname(d)) await chmod(d, 0o755);
}

async function durationMs(file: string): Promise<number> {
  const seconds = Number((await run('soxi', ['-D', file])).trim());
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : 0;
}

/** Converts any audio sox can read into a telephone WAV at `target`; returns its duration. */
async function toTelephoneWav(input: string, target: string): Promise<number> {
  await ensureDir(dirname(target));
  const partial = join(dirname(target), `.partial-${randomBytes(6).toString('hex')}.wav`);
  try {
    await run('sox', [input, ...TELEPHONE_WAV, partial]);
    await chmod(partial, 0o644);
    const ms = await durationMs(partial);
    await rename(partial, target);
    return ms;
  } finally {
    await rm(partial, { force: true });
  }
}

async function withScratch<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cc-prompt-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Speaks `text` into a telephone WAV at `target`. The text goes on stdin, never as an argument. */
export function synthesize(text: string, language: PromptLanguage, target: string): Promise<number> {
  return withScratch(async (dir) => {
    const spoken = join(dir, 'speech.wav');
    await run('espeak-ng', ['-v', VOICES[language], '-b', '1', '-w', spoken], text);
    return toTelephoneWav(spoken, target);
  });
}

/**
 * Converts uploaded bytes into a telephone WAV at `target`. The bytes are saved without
 * a file extension so sox goes by their content, not by what the uploader named them.
 */
export function convertUpload(data: Buffer, target: string): Promise<number> {
  return withScratch(async (dir) => {
    const input = join(dir, 'upload');
    await writeFile(input, data);
    return toTelephoneWav(input, target);
  });
}
