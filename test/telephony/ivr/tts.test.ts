// Text-to-speech prompts in real calls: espeak-ng speaks a menu's text once, the file is
// cached where Asterisk reads sounds, later calls play the same file, and Asterisk really
// plays it (no "does not exist" in its log) in English and in Mandarin.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { carrierCall } from '../../support/sipp.js';
import { putFlow, routeDidToFlow, patchQueue } from '../../support/routing-setup.js';
import { asteriskLog, played, callerChannel, missingSounds, serverErrors } from '../../support/logs.js';
import { createDb } from '../../../server/core/db.js';
import { asteriskHostPath } from '../../../server/core/config.js';

const config = testConfig();
const db = createDb(config);
const EN_DID = '5558000';
const ZH_DID = '5558001';
// Texts unique to this run, so the cache starts empty for them whatever ran before.
const run = Date.now() % 100000;
const EN = `Welcome to test line ${run}. For billing, press 1.`;
const ZH = `您好，这是测试线路 ${run}。账单请按一。`;
const keyOf = (lang: string, text: string) => createHash('sha256').update(`${lang}\n${text}`).digest('hex');
const inChroot = (lang: string, text: string) => `/var/lib/asterisk/sounds/cc/tts/${keyOf(lang, text)}`;
const onHost = (lang: string, text: string) => asteriskHostPath(config, `${inChroot(lang, text)}.wav`);
// Asterisk names the format it reads, not the extension: an 8 kHz 16-bit WAV plays as slin.
const asPlayed = (lang: string, text: string) => `${inChroot(lang, text)}.slin`;
let server: ServerHandle;

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const number = (tag: string) => `8619${tag}${Date.now() % 100000}`;
const ended = (caller: string) => waitFor(`interaction of ${caller} ended`, async () => {
  const r = await db('interactions').where({ caller_number: caller }).first();
  return r?.ended_at ? r : undefined;
}, 40000);
const menuFlow = (name: string, language: string, text: string) => putFlow(db, name, {
  language,
  start: 'menu',
  steps: {
    menu: { type: 'menu', prompt: [{ tts: text }], options: { 1: 'to-billing' }, timeoutSec: 3, maxRetries: 0, default: 'to-support' },
    'to-billing': { type: 'queue', queue: 'billing' },
    'to-support': { type: 'queue', queue: config.demo.queue },
  },
});
/** A caller who listens to the whole prompt, then presses 1. */
const callAndPress1 = async (did: string, caller: string) => {
  const log = asteriskLog(config);
  await carrierCall({ did, caller, talkMs: 0, steps: [{ pauseMs: 7000 }, { dtmf: '1' }, { pauseMs: 1500 }] });
  const row = await ended(caller);
  const lines = log.lines();
  return { row, heard: played(lines, callerChannel(lines, caller)), missing: missingSounds(lines) };
};
const generated = () => server.log().split('\n').filter((l) => l.includes('text prompt generated'));

describe('text-to-speech prompts in real calls', { timeout: 200000 }, () => {
  before(async () => {
    await seededDatabase(config);
    for (const q of [config.demo.queue, 'billing']) await patchQueue(db, q, { announceEverySec: 0 });
    await menuFlow('tts-en', 'en', EN);
    await menuFlow('tts-zh', 'zh', ZH);
    await routeDidToFlow(db, EN_DID, 'tts-en');
    await routeDidToFlow(db, ZH_DID, 'tts-zh');
    server = startServer({ CC__DEMO__READY_AGENTS: '[]' });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
  });

  after(async () => {
    await server?.stop();
    await db.destroy();
    for (const [lang, text] of [['en', EN], ['zh', ZH]] as const) rmSync(onHost(lang, text), { force: true });
  });

  it('the first call speaks the English menu with espeak-ng, caches it as a telephone WAV, and Asterisk plays it', async () => {
    assert.ok(!existsSync(onHost('en', EN)), 'not cached before the first call');
    const { row, heard, missing } = await callAndPress1(EN_DID, number('0'));
    assert.deepEqual(heard, [asPlayed('en', EN)]);
    assert.deepEqual(missing, []);
    assert.equal(row.queue, 'billing', 'the key pressed after the spoken menu chose billing');
    assert.deepEqual(json(row.ivr_path).map((p: any) => p.result), ['option:1', undefined]);
    const info = execFileSync('soxi', [onHost('en', EN)]).toString();
    assert.match(info, /Channels\s+: 1/);
    assert.match(info, /Sample Rate\s+: 8000/);
    assert.match(info, /Precision\s+: 16-bit/);
    assert.ok(Number(execFileSync('soxi', ['-D', onHost('en', EN)]).toString()) > 1, 'a spoken sentence, not an empty file');
  });

  it('a second call plays the cached file without speaking it again', async () => {
    const before = statSync(onHost('en', EN));
    const { row, heard, missing } = await callAndPress1(EN_DID, number('1'));
    assert.deepEqual(heard, [asPlayed('en', EN)]);
    assert.deepEqual(missing, []);
    assert.equal(row.queue, 'billing');
    const after = statSync(onHost('en', EN));
    assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs], 'the file was not written again');
    assert.equal(generated().length, 1, 'espeak-ng ran once');
    assert.equal((await db('prompts').where({ kind: 'tts', text: EN })).length, 1);
  });

  it('a Mandarin flow speaks its menu with the Mandarin voice and Asterisk plays it', async () => {
    const { row, heard, missing } = await callAndPress1(ZH_DID, number('2'));
    assert.deepEqual(heard, [asPlayed('zh', ZH)]);
    assert.deepEqual(missing, []);
    assert.equal(row.queue, 'billing');
    const prompt = await db('prompts').where({ kind: 'tts', text: ZH }).first();
    assert.equal(prompt.language, 'zh');
    assert.equal(generated().length, 2);
    assert.deepEqual(serverErrors(server.log()), []);
  });
});
