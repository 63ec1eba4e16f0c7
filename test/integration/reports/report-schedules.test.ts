// Report emails against real MariaDB and Redis and a local SMTP sink: schedules edited by
// admins on the page and the API, bad ones refused without a change; a due schedule mails
// the report once as HTML with the PDF (read back with pdftotext), not before its send
// time; without Chromium the mail goes without the PDF and the log says why; an SMTP
// failure is recorded and retried at the next run.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { mimeParts, subjectOf } from '../../support/mime.js';
import { pdfText } from '../../support/pdf-text.js';
import { createLogger } from '../../../server/core/logger.js';
import { PdfRenderer, ReportMailer, ScheduleRunner } from '../../../server/reports/index.js';
import { DAY, TZ, seedDay } from './report-seed.js';

let h: Harness;
let smtp: SmtpSink;
const at = (local: string) => Date.parse(`${local}+08:00`);
const count = async () => Number((await h.app.db('report_schedules').count({ n: '*' }))[0]!.n);
const valid = { name: 'Floor managers', period: 'daily', sendTime: '07:00', recipients: ['boss@example.test', 'floor@example.test'], language: 'en' };

function runnerWith(opts: { chromiumPath?: string; smtpPort?: number; log?: Writable }) {
  const log = createLogger('info', opts.log ?? new Writable({ write: (_c, _e, done) => done() }));
  const smtpSettings = { ...h.config.smtp, host: '127.0.0.1', port: opts.smtpPort ?? smtp.port, timeoutMs: 2000 };
  return new ScheduleRunner({
    schedules: h.app.reportSchedules, reports: h.app.reports, render: h.app.reportRenderer, log,
    pdf: new PdfRenderer({ chromiumPath: opts.chromiumPath ?? h.config.reports.chromiumPath, timeoutMs: 30000 }, log),
    mailer: new ReportMailer({ from: 'reports@example.test', smtp: smtpSettings }),
  });
}

describe('report emails', { timeout: 120000 }, () => {
  before(async () => {
    smtp = await startSmtpSink();
    h = await routingHarness({ timezone: TZ, smtp: { host: '127.0.0.1', port: smtp.port }, reports: { emailFrom: 'reports@example.test' } });
    await seedDay(h.app);
  });

  after(async () => {
    await h?.close();
    await smtp?.close();
  });

  beforeEach(async () => {
    await h.app.db('report_schedules').delete();
    smtp.mails.length = 0;
  });

  it('admins add, change and remove schedules through the API; a new one starts with the next period', async () => {
    const created = await h.api('POST', '/api/v1/report-schedules', valid);
    assert.equal(created.statusCode, 201, created.body);
    const s = created.json();
    assert.deepEqual(s.recipients, valid.recipients);
    assert.match(s.lastPeriod, /^\d{4}-\d{2}-\d{2}$/, 'yesterday counts as sent');
    const changed = await h.api('PUT', `/api/v1/report-schedules/${s.id}`, { ...valid, period: 'monthly', language: 'zh-CN' });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.json().period, 'monthly');
    assert.equal((await h.api('GET', '/api/v1/report-schedules')).json().length, 1);
    assert.equal((await h.api('DELETE', `/api/v1/report-schedules/${s.id}`)).statusCode, 204);
    assert.equal(await count(), 0);
    assert.equal((await h.api('PUT', '/api/v1/report-schedules/99999', valid)).statusCode, 404);
  });

  it('refuses bad schedules with a clear error and stores nothing', async () => {
    for (const bad of [
      { sendTime: '25:00' }, { sendTime: '7am' }, { recipients: [] }, { recipients: ['not an address'] }, { recipients: ['a@b.c, evil@x.y'] },
      { period: 'yearly' }, { language: 'fr' }, { name: '' },
    ]) {
      const res = await h.api('POST', '/api/v1/report-schedules', { ...valid, ...bad });
      assert.equal(res.statusCode, 400, JSON.stringify(bad));
      assert.ok(res.json().error.message, JSON.stringify(bad));
    }
    const blank = await h.api('POST', '/api/v1/report-schedules', { ...valid, name: '   ' });
    assert.equal(blank.statusCode, 422);
    assert.equal(blank.json().error.code, 'invalid-report-schedule');
    assert.equal(await count(), 0);
    const supervisor = await h.signInAs('supervisor');
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/report-schedules', headers: { cookie: supervisor, 'content-type': 'application/json' }, payload: valid });
    assert.equal(res.statusCode, 403);
    assert.equal(await count(), 0);
  });

  it('the admin page adds and edits schedules; a refused form shows the problem and changes nothing', async () => {
    const form = (url: string, fields: Record<string, string>) => h.app.inject({
      method: 'POST', url, headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: h.csrf, ...fields }).toString(),
    });
    const fields = { name: 'Weekly <b>team</b>', period: 'weekly', sendTime: '08:30', recipients: 'a@example.test; b@example.test', language: 'zh-CN', enabled: 'on' };
    const added = await form('/admin/report-schedules', fields);
    assert.equal(added.statusCode, 303, added.body);
    const [s] = await h.app.reportSchedules.list();
    assert.deepEqual([s!.period, s!.sendTime, s!.recipients, s!.language, s!.enabled], ['weekly', '08:30', ['a@example.test', 'b@example.test'], 'zh-CN', true]);
    const page = await h.app.inject({ method: 'GET', url: '/admin/report-schedules', headers: { cookie: h.cookie } });
    assert.ok(page.body.includes('value="Weekly &lt;b&gt;team&lt;/b&gt;"'));
    const refused = await form(`/admin/report-schedules/${s!.id}`, { ...fields, recipients: 'nobody' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /id="schedule-problem"/);
    assert.deepEqual((await h.app.reportSchedules.get(s!.id)).recipients, ['a@example.test', 'b@example.test']);
    assert.equal((await form(`/admin/report-schedules/${s!.id}`, { ...fields, enabled: '' })).statusCode, 303);
    assert.equal((await h.app.reportSchedules.get(s!.id)).enabled, false);
    assert.equal((await form(`/admin/report-schedules/${s!.id}/delete`, {})).statusCode, 303);
    assert.equal(await count(), 0);
  });

  it('a due daily schedule mails the report once, at its send time, as HTML with the PDF attached', async () => {
    await h.app.reportSchedules.create(valid, at(`${DAY}T12:00:00`));
    const runner = runnerWith({});
    assert.equal(await runner.runDue(at('2026-03-11T06:59:00')), 0, 'not before 07:00');
    assert.equal(await runner.runDue(at('2026-03-11T07:00:30')), 1);
    assert.equal(await runner.runDue(at('2026-03-11T07:01:30')), 0, 'sent once');
    assert.equal(smtp.mails.length, 1);
    const mail = smtp.mails[0]!;
    assert.deepEqual(mail.to, valid.recipients);
    assert.match(subjectOf(mail.data), /^Daily report 2026-03-10 · /);
    const parts = mimeParts(mail.data);
    const html = parts.find((p) => /text\/html/.test(p.headers['content-type'] ?? ''))!.body.toString('utf8');
    assert.match(html, /<tr><th scope="row">Total<\/th><td>5<\/td><td>3<\/td><td>2<\/td><td>1<\/td>/);
    assert.doesNotMatch(html, /<script|<link|src=/);
    const pdf = parts.find((p) => /application\/pdf/.test(p.headers['content-type'] ?? ''));
    assert.ok(pdf, 'a PDF is attached');
    assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
    const text = await pdfText(pdf.body);
    assert.match(text, /Daily report 2026-03-10/);
    assert.match(text, /Total\s+5\s+3\s+2\s+1\s+0\s+0\s+66\.7%\s+50\.0%\s+25\.0%\s+18\.3/);
    const [s] = await h.app.reportSchedules.list();
    assert.equal(s!.lastPeriod, DAY);
  });

  it('without Chromium the report is mailed without a PDF, and the log says why', async () => {
    await h.app.reportSchedules.create({ ...valid, period: 'weekly', language: 'zh-CN' }, at(`${DAY}T12:00:00`));
    let logText = '';
    const runner = runnerWith({ chromiumPath: '/nonexistent/chromium', log: new Writable({ write: (c, _e, done) => { logText += String(c); done(); } }) });
    assert.equal(await runner.runDue(at('2026-03-16T07:30:00')), 1, 'Monday after the week of the 10th');
    const parts = mimeParts(smtp.mails[0]!.data);
    assert.equal(parts.filter((p) => /application\/pdf/.test(p.headers['content-type'] ?? '')).length, 0);
    assert.match(subjectOf(smtp.mails[0]!.data), /^周报 2026-W11/);
    assert.match(logText, /report emailed without a PDF/);
    assert.match(logText, /no Chromium at \/nonexistent\/chromium/);
  });

  it('an SMTP failure is recorded and the same period goes at the next run', async () => {
    await h.app.reportSchedules.create(valid, at(`${DAY}T12:00:00`));
    // Port 9 (discard) is closed here: the connection is refused.
    assert.equal(await runnerWith({ smtpPort: 9, chromiumPath: '/nonexistent' }).runDue(at('2026-03-11T08:00:00')), 0);
    let [s] = await h.app.reportSchedules.list();
    assert.equal(s!.lastPeriod, '2026-03-09');
    assert.ok(s!.lastError);
    assert.equal(await runnerWith({ chromiumPath: '/nonexistent' }).runDue(at('2026-03-11T08:01:00')), 1);
    [s] = await h.app.reportSchedules.list();
    assert.deepEqual([s!.lastPeriod, s!.lastError], [DAY, null]);
  });
});
