// The wallboard in real Chromium while a real sipp caller waits in a real queue with no
// agent: waiting 1 and a growing longest wait without a reload, a 'waiting over 0' alert,
// then the caller hangs up: abandoned 1, waiting 0, the alert ended.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { carrierCall } from '../../support/sipp.js';
import { launchBrowser } from '../../support/browser.js';
import { apiSession } from '../../support/api.js';
import { serverErrors } from '../../support/logs.js';

const config = testConfig();
const base = `http://127.0.0.1:${config.http.port}`;
const queue = config.demo.queue;
let server: ServerHandle;
let browser: Browser;

const field = (page: Page, name: string) => page.locator(`.wb-queue[data-queue="${queue}"] [data-field="${name}"]`);
const text = async (page: Page, name: string) => ((await field(page, name).textContent()) ?? '').trim();
/** m:ss or h:mm:ss to seconds. */
const seconds = (clock: string) => clock.split(':').reduce((t, part) => t * 60 + Number(part), 0);
const until = (page: Page, name: string, value: string, timeout = 20000) =>
  page.waitForFunction(([sel, v]) => document.querySelector(sel as string)?.textContent?.trim() === v, [`.wb-queue[data-queue="${queue}"] [data-field="${name}"]`, value], { timeout });

async function signIn(page: Page, path: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.fill('#username', config.demo.adminUser);
  await page.fill('#password', 'test-admin-password');
  await page.click('#login-submit');
  await page.waitForURL(`${base}${path}`);
}

describe('the wallboard in Chromium during a real call', { timeout: 180000 }, () => {
  before(async () => {
    await seededDatabase(config);
    // Nobody ready: the caller can only wait. Alerts evaluated every second.
    server = startServer({ CC__DEMO__READY_AGENTS: '[]', CC__ALERTS__EVALUATE_EVERY_SEC: '1' });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the caller waiting, its wait growing, the alert, then the abandon', async () => {
    const api = await apiSession(config.demo.adminUser, 'test-admin-password');
    const created = await api('POST', '/api/v1/alert-rules', { name: 'Anyone <b>waiting</b>', kind: 'waiting_over', queue, threshold: 0 });
    assert.equal(created.status, 201);

    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, '/wallboard');
    const tv = await context.newPage();
    await tv.goto(`${base}/wallboard/tv`);
    assert.equal(await text(page, 'waiting'), '0');
    assert.equal(await text(page, 'offered'), '0');
    assert.equal(await tv.locator('.topbar').count(), 0, 'the TV page has no navigation');
    // Set in the page now: still there at the end means the page never reloaded.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    const call = carrierCall({ did: config.demo.did, caller: '5550142', talkMs: 12000 });
    await until(page, 'waiting', '1');
    await until(tv, 'waiting', '1');
    assert.equal(await text(page, 'offered'), '1');
    const first = seconds(await text(page, 'longestWait'));
    await page.waitForTimeout(2500);
    const later = seconds(await text(page, 'longestWait'));
    assert.ok(later >= first + 2, `the longest wait ticks in the page: ${first} s, then ${later} s`);

    const alert = page.locator('#alerts li[data-alert-id]');
    await alert.first().waitFor({ timeout: 10000 });
    assert.match((await alert.first().textContent()) ?? '', /Anyone <b>waiting<\/b>/, 'the rule name shows as text, markup and all');
    await tv.locator('#alerts li[data-alert-id]').first().waitFor({ timeout: 10000 });

    const result = await call;
    assert.equal(result.code, 0, result.stderr);
    await until(page, 'abandoned', '1');
    await until(page, 'waiting', '0');
    assert.equal(await text(page, 'answered'), '0');
    assert.equal(await text(page, 'longestWait'), '—');
    await page.locator('#alerts li[data-alert-id]').waitFor({ state: 'detached', timeout: 10000 });
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42);

    const alerts = (await (await api('GET', '/api/v1/alerts')).json()) as Array<{ endedAt: string | null; peakValue: number; subject: string }>;
    assert.equal(alerts.length, 1, 'one episode, one alert');
    assert.notEqual(alerts[0]!.endedAt, null);
    assert.equal(alerts[0]!.peakValue, 1);
    assert.equal(alerts[0]!.subject, `queue:${queue}`);
    const board = (await (await api('GET', '/api/v1/wallboard')).json()) as { queues: Array<{ name: string; today: { offered: number; abandoned: number } }> };
    const q = board.queues.find((x) => x.name === queue)!;
    assert.deepEqual([q.today.offered, q.today.abandoned], [1, 1]);
    assert.deepEqual(serverErrors(server.log()), []);
    await context.close();
  });
});
