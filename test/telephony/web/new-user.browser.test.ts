// Issue 6's acceptance, tried as a new user would: starting from a fresh install (migrated,
// only the admin account), an IT person sets up a queue, two agent users and their agents,
// two desk phones and a number, all by clicking and typing in the pages (no API call, no
// database write from the test). Two sipp desk phones register with the credentials the
// phones page showed, both agents go ready on their desk pages, a carrier call to the number
// rings one of them, the desk shows the screen pop, and the interaction is listed afterwards.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { testConfig, resetDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { launchBrowser } from '../../support/browser.js';
import { createDb, migrateLatest } from '../../../server/core/db.js';
import { maskNumber } from '../../../server/core/number-mask.js';

const config = testConfig();
const db = createDb(config);
const base = `http://127.0.0.1:${config.http.port}`;
const ADMIN_PASSWORD = 'test-admin-password';
// Away from the installed config's phones (1001..1004) and from other tests' numbers.
const DID = '5559606';
const QUEUE = 'first-line';
const AGENTS = [
  { user: 'mei.lin', name: 'Mei Lin', password: 'mei lin password 1', number: '301', extension: '2301', mac: '00:15:65:23:01:01' },
  { user: 'tom.ng', name: 'Tom Ng', password: 'tom ng password 1', number: '302', extension: '2302', mac: '00:15:65:23:01:02' },
];
const RING_MS = 2500;
let server: ServerHandle;
let browser: Browser;
let admin: Page;
const phones: ChildProcess[] = [];
const sipPasswords = new Map<string, string>();

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#login-submit');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Follows the top bar's link, as a person would, instead of typing a URL. */
async function navTo(page: Page, name: string): Promise<void> {
  await page.click(`header nav a:text-is("${name}")`);
  await page.waitForLoadState('domcontentloaded');
}

describe('a new user sets up a queue, two agents and two desk phones from the pages, and takes a call', { timeout: 300000 }, () => {
  before(async () => {
    // As after install.sh on an empty server: migrations only; the server creates the admin.
    await resetDatabase(config);
    await migrateLatest(db);
    server = startServer({ CC__DEMO__ENABLED: 'false', CC__DEMO__READY_AGENTS: '[]' });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000).catch((err: Error) => {
      throw new Error(`${err.message}\n--- server log ---\n${server.log().slice(-3000)}`);
    });
    browser = await launchBrowser();
    admin = await (await browser.newContext({ locale: 'en-US' })).newPage();
  });

  after(async () => {
    // Leave the shared Asterisk as it was: no managed phone left in its include file.
    if (admin && !admin.isClosed()) {
      await admin.goto(`${base}/admin/phones`).catch(() => undefined);
      while ((await admin.locator('#phones tbody tr[data-extension] button.danger').count().catch(() => 0)) > 0) {
        await admin.locator('#phones tbody tr[data-extension] button.danger').first().click();
        await admin.waitForLoadState('domcontentloaded');
      }
    }
    for (const p of phones) p.kill();
    await browser?.close();
    await server?.stop();
    await db.destroy();
  });

  it('starts with nothing but the admin', async () => {
    assert.deepEqual((await db('users').pluck('username')).sort(), [config.demo.adminUser]);
    for (const table of ['queues', 'agents', 'dids', 'phones']) assert.equal((await db(table).count({ n: '*' }))[0]!.n, 0, `${table} is empty`);
  });

  it('the admin adds the queue, the users, the desk phones, the agents and the number from the pages', async () => {
    await signIn(admin, config.demo.adminUser, ADMIN_PASSWORD);

    await navTo(admin, 'Queues');
    await admin.click('#new-queue');
    await admin.fill('#q-name', QUEUE);
    await admin.fill('#q-skill', 'first-line');
    await admin.click('#queue-save');
    await admin.waitForSelector('#queue-saved');

    await navTo(admin, 'Users');
    for (const a of AGENTS) {
      await admin.fill('#u-username', a.user);
      await admin.fill('#u-name', a.name);
      await admin.selectOption('#u-role', 'agent');
      await admin.fill('#u-password', a.password);
      await admin.click('#user-add');
      await admin.waitForSelector(`tr[data-user="${a.user}"]`);
    }

    await navTo(admin, 'Desk phones');
    for (const a of AGENTS) {
      await admin.fill('#p-extension', a.extension);
      await admin.fill('#p-name', a.name);
      await admin.fill('#p-mac', a.mac);
      await admin.click('#phone-add');
      await admin.waitForSelector('#phone-secrets');
      assert.match((await admin.locator('#phone-secrets h2').textContent()) ?? '', new RegExp(a.extension));
      sipPasswords.set(a.extension, ((await admin.locator('#secret-password').textContent()) ?? '').trim());
    }
    for (const a of AGENTS) assert.ok((sipPasswords.get(a.extension) ?? '').length >= 12, `a SIP password for ${a.extension} was shown`);

    await navTo(admin, 'Agents setup');
    assert.match((await admin.locator('#queue-skills').textContent()) ?? '', /first-line needs first-line at level 1/);
    for (const a of AGENTS) {
      await admin.fill('#a-number', a.number);
      await admin.fill('#a-name', a.name);
      await admin.fill('#a-extension', a.extension);
      await admin.selectOption('#a-user', { label: `${a.name} (${a.user})` });
      await admin.fill('#a-skills', 'first-line:3');
      await admin.click('#agent-add');
      await admin.waitForSelector('#agents-saved');
      await admin.waitForSelector(`tr[data-agent="${a.number}"]`);
    }

    await navTo(admin, 'Queues');
    assert.equal((await admin.locator(`tr[data-queue="${QUEUE}"] td`).nth(4).textContent())?.trim(), '2', 'both agents serve the queue');

    await navTo(admin, 'Flows and numbers');
    await admin.fill('#did-number', DID);
    await admin.selectOption('#did-target', `queue:${QUEUE}`);
    await admin.click('#did-save');
    await admin.waitForSelector(`tr[data-did="${DID}"]`);
    assert.equal((await admin.locator(`tr[data-did="${DID}"] td`).nth(2).textContent())?.trim(), QUEUE);
  });

  it('the desk phones register, the agents go ready, and a call to the number rings one of them with a screen pop', async () => {
    for (const a of AGENTS) {
      const port = freshPort() + 36000;
      phones.push(startPhone(port, { ringMs: RING_MS }));
      await registerPhone({ extension: a.extension, password: sipPasswords.get(a.extension) as string, contactPort: port });
    }
    const desks: Page[] = [];
    for (const a of AGENTS) {
      const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
      await signIn(page, a.user, a.password);
      await navTo(page, 'My desk');
      await page.waitForSelector('#agent-registered[data-value="true"]', { timeout: 15000 });
      await page.click('#btn-login');
      await page.waitForSelector('#agent-state:not([data-value="logged_out"])', { timeout: 10000 });
      if ((await page.locator('#agent-state').getAttribute('data-value')) !== 'ready') await page.click('#btn-ready');
      await page.waitForSelector('#agent-state[data-value="ready"]', { timeout: 10000 });
      desks.push(page);
    }

    const caller = `86158${Date.now() % 1000000}`;
    // The caller is answered at once (music on hold) and hangs up this long after: while the agent talks.
    const call = carrierCall({ did: DID, caller, talkMs: RING_MS + 9000 });
    const ringing = await Promise.any(desks.map(async (page) => {
      await page.waitForSelector('#card:not([hidden])', { timeout: 20000 });
      return page;
    }));
    // An agent sees the caller's number masked (privacy.unmaskedRoles: admin, supervisor).
    assert.equal((await ringing.locator('#card-number').textContent())?.trim(), maskNumber(caller));
    assert.match((await ringing.locator('#call-facts').textContent()) ?? '', new RegExp(QUEUE));
    await ringing.waitForSelector('#card-status[data-value="talking"]', { timeout: RING_MS + 8000 });
    const other = desks.find((p) => p !== ringing) as Page;
    assert.equal(await other.locator('#card').isHidden(), true, 'only one desk got the call');
    assert.equal((await call).code, 0, 'the caller was answered and hung up normally');

    await waitFor('the call ended on the desk', async () => (await ringing.locator('#agent-state').getAttribute('data-value')) !== 'on_call', 15000);
    if (await ringing.locator('#wrapup').isVisible()) await ringing.click('#wrap-done');
    await ringing.waitForSelector('#agent-state[data-value="ready"]', { timeout: 20000 });

    await navTo(admin, 'Interactions');
    await admin.fill('#f-number', caller);
    await admin.press('#f-number', 'Enter');
    await admin.waitForLoadState('domcontentloaded');
    const rows = admin.locator(`tr:has-text("${caller}")`);
    await rows.first().waitFor({ timeout: 10000 });
    assert.equal(await rows.count(), 1, 'one interaction for the call');
    const text = (await rows.first().textContent()) ?? '';
    assert.match(text, new RegExp(QUEUE));
    assert.ok(AGENTS.some((a) => text.includes(a.name)), `the row names the agent who answered: ${text}`);
    for (const page of desks) await page.context().close();
  });
});
