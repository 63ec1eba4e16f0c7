// The admin agent list in real Chromium, with a real desk phone registering to real Asterisk.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, unregisterAll, startPhone, freshPort } from '../../support/sipp.js';
import { launchBrowser } from '../../support/browser.js';

const config = testConfig();
const base = `http://127.0.0.1:${config.http.port}`;
const phone = config.phones[1]!;
let server: ServerHandle;
let browser: Browser;
let deskPhone: ChildProcess;

const phoneCell = (page: Page) => page.locator(`#agents tr[data-extension="${phone.extension}"] td[data-field="registered"]`);

describe('the admin agent list in Chromium', { timeout: 180000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await unregisterAll(phone);
    server = startServer();
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    browser = await launchBrowser();
  });

  after(async () => {
    deskPhone?.kill();
    await browser?.close();
    await server?.stop();
  });

  it('an admin logs in, sees every demo agent, and sees a desk phone register and unregister without reloading', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(`${base}/admin/agents`);
    assert.match(page.url(), /\/login/, 'an anonymous visitor is sent to the login page');
    await page.fill('#username', config.demo.adminUser);
    await page.fill('#password', 'wrong password');
    await page.click('#login-submit');
    await page.locator('#login-error').waitFor();

    await page.fill('#username', config.demo.adminUser);
    await page.fill('#password', 'test-admin-password');
    await page.click('#login-submit');
    await page.waitForURL(`${base}/admin/agents`);
    const extensions = await page.locator('#agents tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-extension')));
    assert.deepEqual(extensions.sort(), config.phones.map((p) => p.extension).sort());
    assert.equal(await phoneCell(page).getAttribute('data-value'), 'false');
    assert.equal((await phoneCell(page).textContent())?.trim(), 'Not registered');

    const port = freshPort() + 32000;
    deskPhone = startPhone(port);
    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
    await page.waitForSelector(`#agents tr[data-extension="${phone.extension}"] td[data-field="registered"][data-value="true"]`, { timeout: 15000 });
    assert.equal((await phoneCell(page).textContent())?.trim(), 'Registered');

    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port, expires: 0 });
    await page.waitForSelector(`#agents tr[data-extension="${phone.extension}"] td[data-field="registered"][data-value="false"]`, { timeout: 15000 });
  });

  it('the same page in Simplified Chinese after the language switch', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#username', config.demo.adminUser);
    await page.fill('#password', 'test-admin-password');
    await page.click('#login-submit');
    await page.waitForURL(`${base}/admin/agents`);
    await page.click('a[data-lang="zh-CN"]');
    await page.waitForSelector('h1:text("坐席")');
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal((await phoneCell(page).textContent())?.trim(), '未注册');
    await context.close();
  });
});
