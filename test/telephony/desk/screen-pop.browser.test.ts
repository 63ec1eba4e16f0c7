// The agent desk in real Chromium beside a real desk phone: the screen pop while the phone
// rings, the call's progress, wrap-up with a disposition, and a reload or a second tab
// during a call. Calls come from the carrier (sipp on 127.0.0.2) through real Asterisk.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { launchBrowser } from '../../support/browser.js';
import { apiSession } from '../../support/api.js';
import { putFlow, routeDidToFlow, patchQueue } from '../../support/routing-setup.js';
import { createDb } from '../../../server/core/db.js';
import { createFieldCipher } from '../../../server/core/field-crypto.js';
import { maskNumber } from '../../../server/core/number-mask.js';

const config = testConfig();
const db = createDb(config);
const base = `http://127.0.0.1:${config.http.port}`;
const phone = config.phones[0]!;
const AGENT_PASSWORD = 'test-agent-password';
const DESK_DID = '5552300';
const RING_MS = 3000;
let server: ServerHandle;
let browser: Browser;
let deskPhone: ChildProcess;
let phonePort = 0;
// The first test's caller, who becomes a customer during the call and calls again in the second.
let firstCaller = '';
let firstInteraction = '';
const CUSTOMER_NAME = 'Li <b>Wei</b> & Co';

async function deskPage(context?: BrowserContext): Promise<Page> {
  const page = await (context ?? (await browser.newContext({ locale: 'en-US' }))).newPage();
  await page.goto(`${base}/login`);
  await page.fill('#username', `agent${phone.extension}`);
  await page.fill('#password', AGENT_PASSWORD);
  await page.click('#login-submit');
  await page.waitForURL(`${base}/desk`);
  return page;
}

const interactionOf = (caller: string) => waitFor(`interaction of ${caller}`, () => db('interactions').where({ caller_number: caller }).first(), 20000);

describe('the agent desk: screen pop, call progress and wrap-up', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    // One menu key, then a collected account number: the card shows both.
    await putFlow(db, 'desk-menu', {
      start: 'top',
      steps: {
        top: { type: 'menu', prompt: [{ sound: 'beep' }], options: { 2: 'topic' }, timeoutSec: 4, maxRetries: 0, default: 'topic' },
        topic: { type: 'set', attrs: { topic: 'billing-question' }, next: 'to-support' },
        'to-support': { type: 'queue', queue: config.demo.queue },
      },
    });
    await routeDidToFlow(db, DESK_DID, 'desk-menu');
    await patchQueue(db, config.demo.queue, { wrapUpSec: 120 });
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([phone.extension]), CC__DEMO__AGENT_PASSWORD: AGENT_PASSWORD });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    const admin = await apiSession(config.demo.adminUser, 'test-admin-password');
    const created = await admin('POST', '/api/v1/dispositions', { queue: config.demo.queue, code: 'resolved', label: 'Resolved' });
    assert.equal(created.status, 201, await created.text());
    phonePort = freshPort() + 34000;
    deskPhone = startPhone(phonePort, { ringMs: RING_MS });
    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: phonePort });
    browser = await launchBrowser();
  });

  after(async () => {
    deskPhone?.kill();
    await browser?.close();
    await server?.stop();
    await db.destroy();
  });

  it('the card appears while the desk phone rings, with the caller, the IVR path and what was keyed; the name is shown as text', async () => {
    const page = await deskPage();
    await page.waitForSelector('#agent-state[data-value="ready"]', { timeout: 15000 });
    const caller = `86150${Date.now() % 1000000}`;
    firstCaller = caller;
    // No double quote: the SIP display name is a quoted string.
    const evilName = '<img src=x onerror=window.__pwned=1>Li<script>window.__pwned=2</script>';
    const call = carrierCall({ did: DESK_DID, caller, callerName: evilName, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '2' }, { pauseMs: RING_MS + 6000 }] });

    await page.waitForSelector('#card:not([hidden])', { timeout: 20000 });
    // Seen while the phone still rings: the desk shows 'ringing' and the phone has not answered.
    assert.equal(await page.locator('#agent-state').getAttribute('data-value'), 'ringing');
    assert.equal(await page.locator('#card-status').getAttribute('data-value'), 'ringing');
    // Agents see callers' numbers masked (privacy.unmaskedRoles, docs/privacy.md): never the whole number on the desk.
    assert.equal((await page.locator('#card-number').textContent())?.trim(), maskNumber(caller));
    assert.ok(!(await page.content()).includes(caller), 'the full caller number is nowhere on the desk page');
    assert.equal(await page.locator('#card-caller-name').textContent(), evilName, 'the caller name is text, tags and all');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'nothing in the name ran');
    assert.equal(await page.locator('#card img').count(), 0);
    const facts = await page.locator('#call-facts').textContent();
    assert.match(facts ?? '', new RegExp(`Queue${config.demo.queue}`));
    const path = await page.locator('#ivr-path li').allTextContents();
    assert.ok(path.some((s) => s.includes('desk-menu / top') && s.includes('[2]')), `IVR path shows the key: ${path.join(' | ')}`);
    assert.match((await page.locator('#attributes').textContent()) ?? '', /topicbilling-question/);
    assert.match((await page.locator('#customer').textContent()) ?? '', /New caller/);

    await page.waitForSelector('#card-status[data-value="talking"]', { timeout: RING_MS + 5000 });
    const row = await interactionOf(caller);
    firstInteraction = row.id;
    assert.equal(await page.locator('#card').getAttribute('data-interaction-id'), row.id, 'the card is for this interaction');

    // A new caller: the agent creates the customer from the card during the call.
    await page.fill('#nc-name', CUSTOMER_NAME);
    await page.selectOption('#nc-level', 'gold');
    await page.click('#nc-create');
    await page.waitForSelector('#customer .customer-name', { timeout: 10000 });
    assert.equal(await page.locator('#customer .customer-name').textContent(), CUSTOMER_NAME);
    assert.equal(await page.locator('#new-customer').isHidden(), true);
    const linked = await waitFor('interaction filed under the new customer', async () => (await db('interactions').where({ id: row.id }).first())?.customer_id);
    const customer = await db('customers').where({ id: linked }).first();
    assert.equal(customer.name, CUSTOMER_NAME);
    // The desk never had the whole number: the server filed the call's caller id under the customer.
    assert.deepEqual((await db('customer_numbers').where({ customer_id: linked })).map((n: { number: string }) => n.number), [caller]);

    // After the caller hangs up: wrap-up with the queue's disposition, then ready.
    await page.waitForSelector('#wrapup:not([hidden])', { timeout: 20000 });
    await page.waitForSelector('#agent-state[data-value="wrap_up"]');
    const options = await page.locator('#wrap-disposition option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(options, ['', 'resolved']);
    await page.selectOption('#wrap-disposition', 'resolved');
    await page.fill('#wrap-note', 'Explained the bill <b>twice</b>');
    await page.check('#wrap-follow-up');
    await page.click('#wrap-done');
    await page.waitForSelector('#agent-state[data-value="ready"]', { timeout: 10000 });
    assert.equal(await page.locator('#card').isHidden(), true, 'the card closes when the wrap-up is done');
    assert.equal((await call).code, 0);
    await page.waitForSelector('#day-figures[data-calls-handled="1"]', { timeout: 10000 });

    // A pause with a configured reason from the page, then ready again.
    await page.selectOption('#pause-reason', 'lunch');
    await page.click('#btn-pause');
    await page.waitForSelector('#agent-state[data-value="paused"]', { timeout: 10000 });
    assert.equal((await page.locator('#pause-shown').textContent())?.trim(), 'lunch');
    await page.click('#btn-ready');
    await page.waitForSelector('#agent-state[data-value="ready"]', { timeout: 10000 });

    const saved = await waitFor('wrap-up saved', async () => {
      const r = await db('interactions').where({ id: row.id }).first();
      return r?.disposition ? r : undefined;
    });
    assert.equal(saved.disposition, 'resolved');
    // Sealed at rest (core/field-crypto.ts): the column holds no plain text, the key opens it.
    assert.doesNotMatch(saved.wrap_note, /Explained/);
    assert.equal(createFieldCipher(config).open(saved.wrap_note, 'interactions.wrap_note'), 'Explained the bill <b>twice</b>');
    assert.equal(Boolean(saved.follow_up), true);
    const events = await db('call_events').where({ interaction_id: row.id }).orderBy('seq').pluck('type');
    assert.deepEqual(events.slice(-3), ['connect', 'complete', 'wrap-up']);
    await page.context().close();
  });

  it('a reload and a second tab during a call show the same card; the phone call is not touched', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const first = await deskPage(context);
    await first.waitForSelector('#agent-state[data-value="ready"]', { timeout: 15000 });
    // The first test's caller again: now a known customer with one earlier call.
    const caller = firstCaller;
    assert.ok(caller, 'runs after the first test');
    const call = carrierCall({ did: DESK_DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '2' }, { pauseMs: RING_MS + 9000 }] });
    await first.waitForSelector('#card:not([hidden])', { timeout: 30000 });
    assert.equal(await first.locator('#customer .customer-name').textContent(), CUSTOMER_NAME, 'found by caller id');
    assert.match((await first.locator('#customer .customer-level').textContent()) ?? '', /Gold/);
    const history = first.locator('#history tbody tr');
    assert.equal(await history.count(), 1);
    assert.equal(await history.first().getAttribute('data-interaction-id'), firstInteraction);
    const cells = await history.first().locator('td').allTextContents();
    assert.ok(cells.includes('answered') && cells.includes('resolved') && cells.includes('Explained the bill <b>twice</b>'), cells.join(' | '));
    await first.waitForSelector('#card-status[data-value="talking"]', { timeout: 30000 });
    const id = await first.locator('#card').getAttribute('data-interaction-id');

    await first.reload();
    await first.waitForSelector('#card:not([hidden])', { timeout: 10000 });
    assert.equal(await first.locator('#card').getAttribute('data-interaction-id'), id);
    assert.equal(await first.locator('#card-status').getAttribute('data-value'), 'talking');
    const second = await context.newPage();
    await second.goto(`${base}/desk`);
    await second.waitForSelector('#card:not([hidden])', { timeout: 10000 });
    assert.equal(await second.locator('#card').getAttribute('data-interaction-id'), id);
    assert.equal((await second.locator('#card-number').textContent())?.trim(), maskNumber(caller));

    // Both tabs see the call end; the call ran to its end untouched by the reload.
    await Promise.all([first, second].map((p) => p.waitForSelector('#wrapup:not([hidden])', { timeout: 30000 })));
    const res = await call;
    assert.equal(res.code, 0, `the call was cut: ${res.stderr.slice(-300)}`);
    const row = await db('interactions').where({ id }).first();
    assert.equal(row.outcome, 'answered');
    assert.ok(row.talk_ms >= 8000, `talked ${row.talk_ms} ms: the reload did not end the call`);
    await context.close();
  });

  it('a wrap-up with a code the queue does not offer is refused and changes nothing; finishing without a code is refused too', async () => {
    const row = await db('interactions').whereNull('disposition').whereNotNull('answered_at').orderBy('entered_at', 'desc').first();
    const agent = await apiSession(`agent${phone.extension}`, AGENT_PASSWORD);
    const bad = await agent('POST', `/api/v1/interactions/${row.id}/wrap-up`, { disposition: 'no-such-code', note: 'x' });
    assert.equal(bad.status, 422);
    assert.equal((await bad.json()).error.code, 'unknown-disposition');
    const noCode = await agent('POST', `/api/v1/interactions/${row.id}/wrap-up`, { note: 'x', done: true });
    assert.equal((await noCode.json()).error.code, 'disposition-required');
    const junk = await agent('POST', `/api/v1/interactions/${row.id}/wrap-up`, { note: 42, extra: true });
    assert.equal(junk.status, 422);
    const after = await db('interactions').where({ id: row.id }).first();
    assert.equal(after.disposition, null);
    assert.equal(after.wrap_note, null);
    const ok = await agent('POST', `/api/v1/interactions/${row.id}/wrap-up`, { disposition: 'resolved', done: true });
    assert.equal(ok.status, 200, await ok.text());
  });

  it('when the desk phone unregisters the agent sees why no calls come, and a waiting caller is offered only once it is back', async () => {
    const page = await deskPage();
    await page.waitForSelector('#agent-state[data-value="ready"]', { timeout: 15000 });
    assert.equal(await page.locator('#unregistered-warning').isHidden(), true);
    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: phonePort, expires: 0 });
    await page.waitForSelector('#unregistered-warning:not([hidden])', { timeout: 15000 });
    assert.equal(await page.locator('#agent-registered').getAttribute('data-value'), 'false');

    const caller = `86152${Date.now() % 1000000}`;
    const call = carrierCall({ did: DESK_DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '2' }, { pauseMs: 14000 }] });
    const row = await waitFor('caller waiting in the queue', async () => (await db('interactions').where({ caller_number: caller }).whereNotNull('queued_at').first()) ?? undefined, 20000);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await page.locator('#card').isHidden(), true, 'no screen pop: the phone cannot ring');
    assert.equal(await db('call_events').where({ interaction_id: row.id, type: 'offer' }).first(), undefined, 'no offer to an unregistered phone');

    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: phonePort });
    await page.waitForSelector('#unregistered-warning', { state: 'hidden', timeout: 15000 });
    await page.waitForSelector(`#card[data-interaction-id="${row.id}"]:not([hidden])`, { timeout: 15000 });
    assert.equal((await call).code, 0);
    await page.waitForSelector('#wrapup:not([hidden])', { timeout: 15000 });
    await page.selectOption('#wrap-disposition', 'resolved');
    await page.click('#wrap-done');
    await page.waitForSelector('#agent-state[data-value="ready"]', { timeout: 10000 });
    await page.context().close();
  });

  it('a caller who gives up while the desk phone rings leaves no card and no wrap-up behind', async () => {
    const page = await deskPage();
    await page.waitForSelector('#agent-state[data-value="ready"]', { timeout: 15000 });
    const caller = `86153${Date.now() % 1000000}`;
    const call = carrierCall({ did: DESK_DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '2' }, { pauseMs: 300 }] });
    await page.waitForSelector('#card-status[data-value="ringing"]', { timeout: 20000 });
    await call;
    await page.waitForSelector('#card', { state: 'hidden', timeout: 10000 });
    await page.waitForSelector('#agent-state[data-value="ready"]', { timeout: 10000 });
    assert.equal(await page.locator('#wrapup').isHidden(), true);
    const row = await interactionOf(caller);
    assert.equal((await waitFor('abandon recorded', async () => (await db('interactions').where({ id: row.id }).first())?.outcome)), 'abandoned');
    await page.context().close();
  });
});
