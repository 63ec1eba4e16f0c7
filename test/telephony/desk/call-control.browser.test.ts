// Call control from the agent desk in Chromium, on real desk phones: hold and resume, a
// blind transfer to another agent whose desk pops the same interaction, and click to dial
// through the trunk to a customer's phone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, customerPhone, freshPort } from '../../support/sipp.js';
import { launchBrowser } from '../../support/browser.js';
import { maskNumber } from '../../../server/core/number-mask.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const base = `http://127.0.0.1:${config.http.port}`;
const [first, second] = config.phones;
const AGENT_PASSWORD = 'test-agent-password';
const CUSTOMER_PORT = 36000 + (process.pid % 2000) * 2;
let server: ServerHandle;
let browser: Browser;
const procs: ChildProcess[] = [];

async function desk(extension: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await page.goto(`${base}/login`);
  await page.fill('#username', `agent${extension}`);
  await page.fill('#password', AGENT_PASSWORD);
  await page.click('#login-submit');
  await page.waitForURL(`${base}/desk`);
  await page.waitForSelector('#agent-state[data-value="ready"]', { timeout: 15000 });
  return page;
}
const eventTypes = async (id: string) => db('call_events').where({ interaction_id: id }).orderBy('seq').pluck('type');

describe('call control from the agent desk', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    server = startServer({
      CC__DEMO__READY_AGENTS: JSON.stringify([first!.extension, second!.extension]), CC__DEMO__AGENT_PASSWORD: AGENT_PASSWORD,
      CC__TRUNK__OUTBOUND: `127.0.0.2:${CUSTOMER_PORT}`,
    });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    for (const phone of [first!, second!]) {
      const port = freshPort() + 35000;
      procs.push(startPhone(port, { ringMs: 1500 }));
      await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
    }
    browser = await launchBrowser();
  });

  after(async () => {
    procs.forEach((p) => p.kill());
    await browser?.close();
    await server?.stop();
    await db.destroy();
  });

  it('hold and resume from the page, then a blind transfer to another agent whose desk pops the same call', async () => {
    const a = await desk(first!.extension);
    const b = await desk(second!.extension);
    // Only the first agent takes the new call: the second is paused until the transfer.
    await b.selectOption('#pause-reason', 'break');
    await b.click('#btn-pause');
    await b.waitForSelector('#agent-state[data-value="paused"]');
    const caller = `86160${Date.now() % 1000000}`;
    const call = carrierCall({ did: config.demo.did, caller, talkMs: 22000 });
    await a.waitForSelector('#card-status[data-value="talking"]', { timeout: 30000 });
    const id = (await a.locator('#card').getAttribute('data-interaction-id'))!;
    assert.equal(await a.locator('#cc-resume').isDisabled(), true);

    await a.click('#cc-hold');
    await a.waitForSelector('#card-status[data-value="held"]', { timeout: 10000 });
    assert.equal(await a.locator('#cc-resume').isEnabled(), true);
    await new Promise((r) => setTimeout(r, 1200));
    await a.click('#cc-resume');
    await a.waitForSelector('#card-status[data-value="talking"]', { timeout: 10000 });

    await b.click('#btn-ready');
    await b.waitForSelector('#agent-state[data-value="ready"]');
    await a.selectOption('#xfer-type', 'agent');
    await a.fill('#xfer-target', second!.extension);
    await a.click('#cc-blind');
    await b.waitForSelector(`#card[data-interaction-id="${id}"]:not([hidden])`, { timeout: 15000 });
    // Agents see callers' numbers masked (docs/privacy.md).
    assert.equal((await b.locator('#card-number').textContent())?.trim(), maskNumber(caller));
    await b.waitForSelector('#card-status[data-value="talking"]', { timeout: 15000 });
    await a.waitForSelector('#card-status[data-value="transferred"]', { timeout: 10000 });
    await a.waitForSelector('#wrapup:not([hidden])');

    assert.equal((await call).code, 0);
    const types = await waitFor('the call ended', async () => ((await eventTypes(id)).includes('complete') ? eventTypes(id) : undefined), 30000);
    for (const t of ['hold', 'resume', 'transfer', 'transfer-ringing', 'transfer-connect', 'complete']) assert.ok(types.includes(t), `${t} in ${types.join(',')}`);
    const row = await db('interactions').where({ id }).first();
    assert.ok(row.hold_ms >= 1000, `hold ${row.hold_ms} ms`);
    const handled = typeof row.handled_by === 'string' ? JSON.parse(row.handled_by) : row.handled_by;
    assert.equal(handled.length, 2, 'both agents handled the one interaction');
    await a.context().close();
    await b.context().close();
  });

  it('click to dial: the desk phone rings first, then the customer; the card is the outbound call', async () => {
    const a = await desk(first!.extension);
    const number = '15557004100';
    const customer = customerPhone(CUSTOMER_PORT, 'answer', 3000);
    procs.push(customer);
    await a.fill('#dial-number', number);
    await a.click('#dial-go');
    await a.waitForSelector('#card:not([hidden])', { timeout: 15000 });
    assert.equal((await a.locator('#card-number').textContent())?.trim(), maskNumber(number));
    const id = (await a.locator('#card').getAttribute('data-interaction-id'))!;
    await a.waitForSelector('#card-status[data-value="ended"]', { timeout: 30000 });
    const row = await waitFor('outbound interaction ended', async () => {
      const r = await db('interactions').where({ id }).first();
      return r?.ended_at ? r : undefined;
    }, 20000);
    assert.equal(row.direction, 'outbound');
    assert.equal(row.outcome, 'answered');
    assert.ok(row.talk_ms >= 2500, `talked ${row.talk_ms} ms`);
    const bad = await a.evaluate(async () => (await fetch('/api/v1/calls/dial', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number: '555; DROP TABLE x' }) })).status);
    assert.equal(bad, 400);
    await a.context().close();
  });
});
