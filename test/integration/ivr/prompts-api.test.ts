import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { multipart, routingHarness, toneWav, wavFormat, type Harness } from './routing-harness.js';

let h: Harness;

interface PromptView {
  id: number;
  kind: string;
  language: string;
  sha256: string;
  durationMs: number;
  media: string;
}

/** The WAV file Asterisk will play for a prompt, from its media URI. */
const fileOf = (p: PromptView) => join(h.soundsDir, `${p.media.replace('sound:/var/lib/asterisk/sounds/', '')}.wav`);

function upload(fields: Record<string, string>, file?: { filename: string; type: string; data: Buffer }) {
  const body = multipart(fields, file && { field: 'file', ...file });
  return h.app.inject({ method: 'POST', url: '/api/v1/ivr/prompts/upload', headers: { cookie: h.cookie, ...body.headers }, payload: body.payload });
}

describe('IVR prompts over /api/v1/ivr/prompts', () => {
  // Unique per run, so "generated" really means generated now and not by an earlier run.
  const text = `Thank you for calling, run ${Date.now()}.`;

  before(async () => {
    h = await routingHarness();
  });

  after(async () => {
    await h?.close();
  });

  it('speaks a text once into an 8 kHz mono WAV that Asterisk can read, and reuses it for the same text', async () => {
    const first = await h.api('POST', '/api/v1/ivr/prompts/tts', { text, lang: 'en' });
    assert.equal(first.statusCode, 201, first.body);
    const prompt = first.json() as PromptView;
    assert.equal(prompt.kind, 'tts');
    assert.match(prompt.media, /^sound:\/var\/lib\/asterisk\/sounds\/cc\/tts\/[0-9a-f]{64}$/);
    const file = fileOf(prompt);
    const made = await stat(file);
    assert.equal(made.mode & 0o777, 0o644);
    assert.equal((await stat(join(h.soundsDir, 'cc/tts'))).mode & 0o777, 0o755);
    assert.deepEqual(wavFormat(await readFile(file)), { rate: 8000, channels: 1, bits: 16 });
    assert.ok(prompt.durationMs > 300, `duration ${prompt.durationMs}`);

    await new Promise((r) => setTimeout(r, 50));
    const again = await h.api('POST', '/api/v1/ivr/prompts/tts', { text: `  ${text} `, lang: 'en' });
    assert.equal(again.statusCode, 200);
    assert.equal((again.json() as PromptView).id, prompt.id);
    assert.equal((await stat(file)).mtimeMs, made.mtimeMs, 'the file was not generated again');
  });

  it('speaks Mandarin with the cmn voice, as a separate prompt from the same text in English', async () => {
    const zh = await h.api('POST', '/api/v1/ivr/prompts/tts', { text: '您好，欢迎致电。', lang: 'zh' });
    assert.equal(zh.statusCode, 201, zh.body);
    assert.equal((zh.json() as PromptView).language, 'zh');
    const en = await h.api('POST', '/api/v1/ivr/prompts/tts', { text: '您好，欢迎致电。', lang: 'en' });
    assert.notEqual((en.json() as PromptView).id, (zh.json() as PromptView).id);
  });

  it('makes the text again when its file has gone missing', async () => {
    const res = await h.api('POST', '/api/v1/ivr/prompts/tts', { text, lang: 'en' });
    const prompt = res.json() as PromptView;
    await (await import('node:fs/promises')).rm(fileOf(prompt));
    const again = await h.api('POST', '/api/v1/ivr/prompts/tts', { text, lang: 'en' });
    assert.equal((again.json() as PromptView).id, prompt.id);
    assert.ok((await stat(fileOf(prompt))).isFile());
  });

  it('converts an uploaded 16 kHz stereo WAV to the telephone format, named by its id', async () => {
    const res = await upload({ _csrf: h.csrf, name: 'Welcome tone' }, { filename: 'tone.wav', type: 'audio/wav', data: toneWav(600) });
    assert.equal(res.statusCode, 201, res.body);
    const prompt = res.json() as PromptView;
    assert.equal(prompt.media, `sound:/var/lib/asterisk/sounds/cc/prompts/${prompt.id}`);
    assert.deepEqual(wavFormat(await readFile(fileOf(prompt))), { rate: 8000, channels: 1, bits: 16 });
    assert.ok(Math.abs(prompt.durationMs - 600) < 20, `duration ${prompt.durationMs}`);

    const same = await upload({ _csrf: h.csrf, name: 'Same tone again' }, { filename: 'copy.wav', type: 'audio/wav', data: toneWav(600) });
    assert.equal(same.statusCode, 200);
    assert.equal((same.json() as PromptView).id, prompt.id);
  });

  it('refuses a file that is not audio with 422 and leaves nothing behind', async () => {
    for (const filename of ['notes.txt', 'fake.wav']) {
      const res = await upload({ _csrf: h.csrf }, { filename, type: 'audio/wav', data: Buffer.from('this is not a sound\n') });
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().error.code, 'unreadable-audio');
      assert.match(res.json().error.message, /wav/);
    }
    const leftovers = (await readdir(join(h.soundsDir, 'cc/prompts'))).filter((f) => f.startsWith('.'));
    assert.deepEqual(leftovers, []);
  });

  it('takes sounds of several megabytes, and refuses more than 10 MB with 413', async () => {
    const long = toneWav(40_000, 16000, 1);
    assert.ok(long.length > 1_200_000, 'larger than the JSON body limit');
    const res = await upload({ _csrf: h.csrf, name: 'long' }, { filename: 'long.wav', type: 'audio/wav', data: long });
    assert.equal(res.statusCode, 201, res.body);
    const huge = await upload({ _csrf: h.csrf, name: 'huge' }, { filename: 'huge.wav', type: 'audio/wav', data: toneWav(330_000, 16000, 1) });
    assert.equal(huge.statusCode, 413, huge.body);
  });

  it('refuses an upload without a file, or without the CSRF token', async () => {
    assert.equal((await upload({ _csrf: h.csrf, name: 'x' })).statusCode, 422);
    const forged = await upload({ name: 'x' }, { filename: 'tone.wav', type: 'audio/wav', data: toneWav(100) });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.json().error.code, 'csrf-token-invalid');
  });

  it('refuses to delete an uploaded prompt a flow plays; flows cannot name a missing one', async () => {
    const prompt = (await upload({ _csrf: h.csrf, name: 'hold' }, { filename: 'hold.wav', type: 'audio/wav', data: toneWav(300, 8000, 1) })).json() as PromptView;
    const flow = (upload: number) => ({
      name: 'plays-upload', language: 'en', start: 'hello',
      steps: { hello: { type: 'play', prompt: [{ upload }], next: 'bye' }, bye: { type: 'hangup' } },
    });
    const missing = await h.api('POST', '/api/v1/ivr/flows', flow(999999));
    assert.equal(missing.statusCode, 422);
    assert.equal(missing.json().error.details.problems[0].code, 'missing-upload');
    assert.equal((await h.api('POST', '/api/v1/ivr/flows', flow(prompt.id))).statusCode, 201);

    const refused = await h.api('DELETE', `/api/v1/ivr/prompts/${prompt.id}`);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'prompt-in-use');
    assert.equal((await h.api('DELETE', '/api/v1/ivr/flows/plays-upload')).statusCode, 204);
    assert.equal((await h.api('DELETE', `/api/v1/ivr/prompts/${prompt.id}`)).statusCode, 204);
    await assert.rejects(stat(fileOf(prompt)));
  });

  it('speaks the text prompts of a flow when it is saved, so the first caller does not wait', async () => {
    const greeting = `Welcome to the warm-up test ${Date.now()}.`;
    const res = await h.api('POST', '/api/v1/ivr/flows', {
      name: 'warm', language: 'en', start: 'hi',
      steps: { hi: { type: 'play', prompt: [{ tts: greeting }], next: 'q' }, q: { type: 'queue', queue: 'support' } },
    });
    assert.equal(res.statusCode, 201, res.body);
    const prompts = (await h.api('GET', '/api/v1/ivr/prompts')).json() as Array<PromptView & { text: string }>;
    const made = prompts.find((p) => p.text === greeting);
    assert.ok(made, 'the flow\'s text was spoken at save');
    assert.deepEqual(await h.app.prompts.media({ tts: greeting }, 'en'), [made.media]);
  });
});
