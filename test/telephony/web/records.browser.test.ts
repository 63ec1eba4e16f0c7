// The interaction records in real Chromium, on a real recording: a carrier call through real
// Asterisk to a sipp desk phone is recorded by MixMonitor; then a quality auditor searches
// for it, opens its timeline, plays its recording in the page's <audio> element (which must
// load real audio: readyState >= 2 and a duration), downloads it, and the access log has
// both. The caller's display name carries HTML and must show as text.
// Run under the shared lock: it starts the server that owns the Stasis app and places a call.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { buildApp } from '../../../server/app.js';
import { createDb } from '../../../server/core/db.js';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { launchBrowser } from '../../support/browser.js';

const config = testConfig();
const phone = config.phones[0]!;
const EVIL_NAME = '<b>Bold</b> <img src=x>';
const caller = `4420${Date.now() % 10_000_000}`;
let interactionId: string;
let recordingId: number;
let app: FastifyInstance;
let base: string;
let browser: Browser;

/** Places one answered call and returns its interaction and recording ids, then stops the telephony server. */
async function recordedCall(): Promise<{ interactionId: string; recordingId: number }> {
  let server: ServerHandle | undefined;
  let deskPhone: ChildProcess | undefined;
  const db = createDb(config);
  try {
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([phone.extension]) });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    const port = freshPort() + 30000;
    deskPhone = startPhone(port);
    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
    await waitFor('phone registered', async () => server?.log().includes('"registered":true'), 15000).catch(() => undefined);
    const res = await carrierCall({ did: config.demo.did, caller, callerName: EVIL_NAME, talkMs: 5000 });
    assert.equal(res.code, 0, `the carrier call did not complete: ${res.stderr.slice(-400)}`);
    const row = await waitFor('interaction ended', async () => {
      const r = await db('interactions').where({ caller_number: caller }).first();
      return r?.ended_at ? r : undefined;
    });
    const rec = await waitFor('recording indexed', () => db('recordings').where({ interaction_id: row.id }).first(), 30000);
    return { interactionId: row.id as string, recordingId: Number(rec.id) };
  } finally {
    deskPhone?.kill();
    await server?.stop();
    await db.destroy();
  }
}

describe('interaction records in Chromium, on a real recording', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    ({ interactionId, recordingId } = await recordedCall());
    // The pages need no Asterisk: the app runs here without telephony, on a port of its own.
    app = await buildApp(config, { telephony: false });
    await app.users.create({ username: 'qa-auditor', password: 'auditor password 1', role: 'quality', displayName: 'QA' });
    await app.users.create({ username: 'rec-admin', password: 'admin password 1', role: 'admin', displayName: 'Admin' });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('search, open the timeline, play and download the recording; the access log has both', async () => {
    const context = await browser.newContext({ locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${base}/interactions`);
    await page.fill('#username', 'qa-auditor');
    await page.fill('#password', 'auditor password 1');
    await page.click('#login-submit');
    await page.waitForURL(`${base}/interactions`);

    await page.fill('#f-number', `+${caller.slice(0, 2)} ${caller.slice(2)}`);
    await page.selectOption('#f-outcome', 'answered');
    await page.click('#records-search');
    await page.waitForURL(/\/interactions\?/);
    const row = page.locator(`#interactions tr[data-interaction-id="${interactionId}"]`);
    assert.equal(await row.count(), 1, 'the call is found by its number written another way');
    assert.equal(await page.locator('#interactions tbody tr').count(), 1);
    assert.equal(await row.locator('[data-field="caller-name"]').textContent(), EVIL_NAME, 'the name is text');
    assert.equal(await page.locator('#interactions img, #interactions b').count(), 0);

    await row.locator('a.open-interaction').click();
    await page.waitForURL(`${base}/interactions/${interactionId}`);
    const kinds = await page.locator('#timeline li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind')));
    for (const kind of ['enter', 'enter-queue', 'offer', 'connect', 'complete']) assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(',')}`);
    assert.ok(kinds.indexOf('enter') < kinds.indexOf('connect') && kinds.indexOf('connect') < kinds.indexOf('complete'));
    assert.equal(await page.locator('#caller-name').textContent(), EVIL_NAME);
    assert.equal(await page.locator('main img, main b').count(), 0);

    const audio = page.locator(`li[data-recording-id="${recordingId}"] audio`);
    await audio.click();
    await audio.evaluate((a: HTMLAudioElement) => a.play().catch(() => undefined));
    await page.waitForFunction((sel) => {
      const a = document.querySelector<HTMLAudioElement>(sel);
      return !!a && a.readyState >= 2 && a.duration > 0;
    }, `li[data-recording-id="${recordingId}"] audio`, { timeout: 20000 });
    const duration = await audio.evaluate((a: HTMLAudioElement) => a.duration);
    assert.ok(duration > 3 && duration < 15, `the recording plays ${duration} s`);
    console.log(`# the page's player loaded the recording: ${duration.toFixed(2)} s of audio`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`li[data-recording-id="${recordingId}"] a.recording-download`)]);
    assert.equal(download.suggestedFilename(), `${interactionId}-${recordingId}.wav`);
    assert.deepEqual(dialogs, []);
    await context.close();

    const log = await app.inject({ method: 'GET', url: `/api/v1/recordings/access-log?recordingId=${recordingId}`, headers: { cookie: await adminCookie() } });
    assert.equal(log.statusCode, 200, log.body);
    const entries = (log.json() as { items: Array<{ username: string; action: string; result: string; interactionId: string; ip: string }> }).items;
    assert.deepEqual(entries.map((e) => [e.username, e.action, e.result, e.interactionId]).sort(), [['qa-auditor', 'download', 'ok', interactionId], ['qa-auditor', 'play', 'ok', interactionId]]);
    assert.ok(entries.every((e) => e.ip === '127.0.0.1'));
  });
});

async function adminCookie(): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const anon = form.cookies.find((c) => c.name === 'cc_session');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST', url: '/login',
    headers: { cookie: `cc_session=${anon?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, username: 'rec-admin', password: 'admin password 1' }).toString(),
  });
  return `cc_session=${res.cookies.find((c) => c.name === 'cc_session')?.value}`;
}
