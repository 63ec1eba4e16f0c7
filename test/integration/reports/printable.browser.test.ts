// The printable report in real Chromium (Debian's, through playwright-core): a report
// viewer signs in, opens the daily report, prints it to an A4 PDF, and the PDF's text
// (pdftotext) carries the hand-counted totals, per queue and per hour; the page fetched
// nothing but itself. The server's own PDF download says the same. No Asterisk is used.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';
import { launchBrowser } from '../../support/browser.js';
import { pdfInfo, pdfText } from '../../support/pdf-text.js';
import { DAY, TZ, seedDay } from './report-seed.js';

let h: Harness;
let browser: Browser;
let base: string;

const TOTALS = /Total\s+5\s+3\s+2\s+1\s+0\s+0\s+66\.7%\s+50\.0%\s+25\.0%\s+18\.3\s+40\.0/;

describe('the printable report in Chromium', { timeout: 120000 }, () => {
  before(async () => {
    h = await routingHarness({ timezone: TZ });
    await seedDay(h.app);
    await h.app.users.create({ username: 'viewer', password: 'a long password 1', role: 'reports', displayName: 'Viewer' });
    // A free port: this test needs no Asterisk, so it keeps off the shared test port 18080.
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await h?.close();
  });

  it('prints the daily report to an A4 PDF whose text has the totals', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${base}/reports/daily/${DAY}`);
    await page.fill('#username', 'viewer');
    await page.fill('#password', 'a long password 1');
    await page.click('#login-submit');
    await page.waitForURL(`${base}/reports/daily/${DAY}`);
    requested.length = 0;
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.reload();
    assert.deepEqual(requested, [`${base}/reports/daily/${DAY}`], 'the page is self-contained');
    assert.deepEqual(errors, [], 'no CSP refusal or other error in the console');
    assert.equal(await page.locator('#table-intervals tbody tr').count(), 24);
    // The stylesheet applied (CSP allows it by hash): the title is in the report's blue.
    assert.equal(await page.locator('#report-title').evaluate((el) => getComputedStyle(el).color), 'rgb(31, 78, 121)');

    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const text = await pdfText(pdf);
    assert.match(text, /Daily report 2026-03-10/);
    assert.match(text, /Asia\/Shanghai/);
    assert.match(text, TOTALS);
    assert.match(text, /rpq\s+5\s+3\s+2/);
    assert.match(text, /09:00\s+2\s+2\s+0/);
    assert.match(text, /Thresholds used/);
    assert.doesNotMatch(text, /NaN/);
    // The page's @page size, not the browser's default Letter.
    const info = await pdfInfo(pdf);
    assert.match(info['Page size'] ?? '', /\(A4\)/);
    console.log(`# daily report PDF: ${info.Pages} page(s), ${info['Page size']}`);
    await context.close();
  });

  it('the PDF download renders the same figures on the server', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/reports/daily/${DAY}.pdf`, headers: { cookie: h.cookie } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const text = await pdfText(res.rawPayload);
    assert.match(text, TOTALS);
    // Downloads at once take their turn at the one browser, and each gets its PDF.
    const both = await Promise.all(['2026-03-10', '2026-03-11'].map((d) => h.app.inject({ method: 'GET', url: `/reports/daily/${d}.pdf`, headers: { cookie: h.cookie } })));
    assert.deepEqual(both.map((r) => [r.statusCode, r.rawPayload.subarray(0, 5).toString()]), [[200, '%PDF-'], [200, '%PDF-']]);
    assert.match(await pdfText(both[1]!.rawPayload), /Daily report 2026-03-11/);
    const future = await h.app.inject({ method: 'GET', url: '/reports/daily/2099-01-01.pdf', headers: { cookie: h.cookie } });
    assert.equal(future.statusCode, 404);
  });
});
