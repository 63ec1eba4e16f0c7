// The customers pages in real Chromium: an agent creates a customer whose name and note are
// HTML, and sees them as text, never as elements. No Asterisk is needed: the app runs in
// this process without its telephony connections, on a port of its own (not 18080).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../../server/app.js';
import { seededDatabase, testConfig } from '../../support/config.js';
import { launchBrowser } from '../../support/browser.js';

const EVIL_NAME = '<img src=x onerror="document.title=\'pwned\'">Mallory <b>Bold</b>';
const EVIL_NOTE = '<script>document.title="pwned"</script>call back after 5';
let app: FastifyInstance;
let base: string;
let browser: Browser;

async function signIn(page: Page): Promise<void> {
  await page.goto(`${base}/customers`);
  await page.fill('#username', 'crm-agent');
  await page.fill('#password', 'agent password 1');
  await page.click('#login-submit');
  await page.waitForURL(`${base}/customers`);
}

describe('the customers pages in Chromium', { timeout: 120000 }, () => {
  before(async () => {
    const config = testConfig();
    await seededDatabase(config);
    app = await buildApp(config, { telephony: false });
    await app.users.create({ username: 'crm-agent', password: 'agent password 1', role: 'agent', displayName: 'CRM Agent' });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a name and a note with HTML in them show as text on the customer page and in the list', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signIn(page);
    await page.goto(`${base}/customers/new?number=${encodeURIComponent('+1 555 010 7777')}`);
    assert.equal(await page.inputValue('#nc-numbers'), '+15550107777', 'the number comes prefilled and normalised');
    await page.fill('#nc-name', EVIL_NAME);
    await page.selectOption('#nc-level', 'vip');
    await page.click('#new-customer-save');
    await page.waitForSelector('#customer-saved');

    const card = page.locator('.crm-card');
    assert.equal(await card.locator('[data-field="name"]').textContent(), EVIL_NAME);
    assert.equal(await card.locator('img').count(), 0, 'no <img> element was made from the name');
    assert.equal(await card.locator('b').count(), 0);
    assert.equal(await page.inputValue('#c-name'), EVIL_NAME, 'the edit form holds the name as typed');

    await page.fill('#note-text', EVIL_NOTE);
    await page.click('#note-save');
    await page.waitForSelector('.crm-note-text');
    assert.equal(await page.locator('.crm-note-text').first().textContent(), EVIL_NOTE);
    assert.equal(await page.locator('main script').count(), 0, 'no script element in the page body');

    await page.goto(`${base}/customers?q=Mallory`);
    const link = page.locator('#customers [data-field="name"]');
    assert.equal(await link.count(), 1);
    assert.equal(await link.textContent(), EVIL_NAME);
    assert.equal(await page.locator('#customers img').count(), 0);
    assert.notEqual(await page.title(), 'pwned');
    assert.deepEqual(dialogs, []);
    await page.close();
  });

  it('a refused form shows the problem beside it, in Simplified Chinese too', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${base}/customers/new`);
    // The user's own setting (en) wins over the browser's language; the switch sets the page's.
    await page.click('a[data-lang="zh-CN"]');
    await page.waitForSelector('h1:text("新建客户")');
    await page.fill('#nc-name', 'Anonymous Caller');
    await page.fill('#nc-numbers', 'anonymous');
    await page.click('#new-customer-save');
    await page.waitForSelector('#new-customer-problems');
    assert.match((await page.locator('#new-customer-problems').textContent()) ?? '', /numbers\/0/);
    assert.equal(await page.inputValue('#nc-name'), 'Anonymous Caller');
    await context.close();
  });
});
