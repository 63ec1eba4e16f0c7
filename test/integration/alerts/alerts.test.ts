// Alerts against real MariaDB and Redis, with a local webhook receiver and SMTP sink:
// raised once per episode (two server instances run, one evaluates), peak kept, ended
// when the condition clears, announced to the webhook, by email and on the live topic.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { createLogger } from '../../../server/core/logger.js';
import { resetDatabase, testConfig } from '../../support/config.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { LiveCalls } from '../../../server/acd/index.js';

const ADMIN = { username: 'alert-admin', password: 'admin password 1', role: 'admin', displayName: 'Alert Admin' } as const;
const hooks: Array<{ kind: string; alert: { id: number; ruleName: string; subject: string; endedAt: string | null } }> = [];
let hookServer: http.Server;
let smtp: SmtpSink;
let apps: FastifyInstance[] = [];
let logText = '';
const live = () => new LiveCalls(apps[0]!.redis);
const waitingIds: string[] = [];

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 10000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function callerWaits(): Promise<void> {
  const id = randomUUID();
  const at = new Date().toISOString();
  waitingIds.push(id);
  await live().save({ id, state: 'waiting', callerChannel: `ch-${id}`, callerChannelName: 'PJSIP/x', callerNumber: '5550100', did: '1', queue: 'alq', enteredAt: at, queuedAt: at });
  await apps[0]!.live.publish('calls', { interactionId: id, seq: 1, type: 'enter-queue', at, queue: 'alq' });
}

async function callersLeave(): Promise<void> {
  for (const id of waitingIds.splice(0)) await live().finish((await live().get(id))!);
  await apps[0]!.live.publish('calls', { interactionId: randomUUID(), seq: 1, type: 'abandon', at: new Date().toISOString(), queue: 'alq' });
}

const alertRows = () => apps[0]!.db('alerts').select('*').orderBy('id');

describe('alerts', { timeout: 60000 }, () => {
  before(async () => {
    // The webhook answers slowly on purpose: past its timeout, evaluation must not care.
    hookServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hooks.push(JSON.parse(body));
        setTimeout(() => res.end('ok'), 1500).unref();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    smtp = await startSmtpSink();
    const config = testConfig({
      alerts: {
        evaluateEverySec: 1, webhookUrl: `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/hook`, webhookTimeoutMs: 300,
        emailTo: ['floor@example.test'], emailFrom: 'cc@example.test',
      },
      smtp: { host: '127.0.0.1', port: smtp.port },
    });
    await resetDatabase(config);
    const logger = createLogger('warn', new Writable({ write: (chunk, _enc, done) => { logText += String(chunk); done(); } }));
    apps = [await buildApp(config, { telephony: false, logger }), await buildApp(config, { telephony: false, logger })];
    for (const a of apps) await a.ready();
    await apps[0]!.users.create(ADMIN);
    await apps[0]!.queues.create({ name: 'alq', skill: 'alq', strategy: 'longest_idle', priority: {} });
  });

  after(async () => {
    for (const a of apps) await a.close();
    await smtp?.close();
    hookServer?.closeAllConnections();
    await new Promise((r) => hookServer?.close(r));
  });

  it('refuses a rule for a queue that does not exist, and an unknown kind', async () => {
    const post = (payload: Record<string, unknown>) => apps[0]!.inject({ method: 'POST', url: '/api/v1/alert-rules', payload, headers: { cookie: '' } });
    assert.equal((await post({ name: 'x', kind: 'waiting_over', queue: 'nope' })).statusCode, 401, 'strangers first');
    assert.deepEqual(await apps[0]!.alerts.createRule({ name: 'x', kind: 'waiting_over', queue: 'nope', threshold: 1 }).catch((e) => e.code), 'invalid-alert-rule');
    assert.deepEqual(await apps[0]!.alerts.createRule({ name: 'x', kind: 'bogus' }).catch((e) => e.code), 'invalid-alert-rule');
  });

  it('raises one alert when callers start waiting, keeps its peak, ends it when they leave, and tells webhook, mail and live pages', async () => {
    const notices: Array<{ kind: string }> = [];
    await apps[1]!.live.subscribe('alerts', (p) => notices.push(p as { kind: string }));
    const rule = await apps[0]!.alerts.createRule({ name: 'Queue busy', kind: 'waiting_over', queue: 'alq', threshold: 0 });

    await callerWaits();
    const raised = await waitFor('alert raised', async () => (await apps[0]!.alerts.active())[0]);
    assert.equal(raised.ruleId, rule.id);
    assert.equal(raised.subject, 'queue:alq');
    await callerWaits();
    await waitFor('peak 2', async () => (await apps[0]!.alerts.active())[0]?.peakValue === 2);
    // Several evaluations by two instances later, still one alert for this episode.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal((await alertRows()).length, 1);

    await callersLeave();
    const ended = await waitFor('alert ended', async () => (await alertRows()).find((a) => a.ended_at !== null));
    assert.equal(Number(ended.peak_value), 2);
    assert.ok(ended.ended_at.getTime() > ended.started_at.getTime());
    assert.equal(ended.active_key, null);

    await waitFor('webhook raised and ended', async () => hooks.some((h) => h.kind === 'raised') && hooks.some((h) => h.kind === 'ended'));
    assert.equal(hooks.filter((h) => h.kind === 'raised').length, 1);
    assert.equal(hooks[0]!.alert.ruleName, 'Queue busy');
    const mails = await waitFor('two mails', async () => smtp.mails.length >= 2 && smtp.mails);
    assert.deepEqual(mails[0]!.to, ['floor@example.test']);
    assert.match(mails[0]!.data, /Subject: .*ALERT: Queue busy/);
    assert.match(mails[1]!.data, /Subject: .*cleared: Queue busy/);
    assert.deepEqual(notices.map((n) => n.kind), ['raised', 'ended']);
    assert.match(logText, /alert webhook failed/, 'the slow webhook timed out and was logged');
  });

  it('a new episode is a new alert; the API lists history and active ones to a signed-in admin', async () => {
    await callerWaits();
    await waitFor('second alert', async () => (await apps[0]!.alerts.active()).length === 1);
    const form = await apps[0]!.inject({ method: 'GET', url: '/login' });
    const anon = form.cookies.find((c) => c.name === 'cc_session');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const login = await apps[0]!.inject({
      method: 'POST', url: '/login', headers: { cookie: `cc_session=${anon?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, username: ADMIN.username, password: ADMIN.password }).toString(),
    });
    const cookie = `cc_session=${login.cookies.find((c) => c.name === 'cc_session')?.value}`;
    const all = (await apps[0]!.inject({ method: 'GET', url: '/api/v1/alerts', headers: { cookie, accept: 'application/json' } })).json();
    assert.equal(all.length, 2);
    assert.equal(all[0].endedAt, null, 'newest first: the active one');
    assert.notEqual(all[1].endedAt, null);
    const active = (await apps[0]!.inject({ method: 'GET', url: '/api/v1/alerts?state=active', headers: { cookie, accept: 'application/json' } })).json();
    assert.equal(active.length, 1);
    const page = await apps[0]!.inject({ method: 'GET', url: '/admin/alert-rules', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<tr data-rule-id="\d+">/);

    // Deleting the rule ends its alert; history keeps it with its name.
    const ruleId = all[0].ruleId;
    assert.equal((await apps[0]!.inject({ method: 'DELETE', url: `/api/v1/alert-rules/${ruleId}`, headers: { cookie, 'content-type': 'application/json' }, payload: '{}' })).statusCode, 204);
    await waitFor('alert ended with its rule', async () => (await apps[0]!.alerts.active()).length === 0);
    assert.equal((await alertRows()).filter((a) => a.rule_name === 'Queue busy').length, 2);
    await callersLeave();
  });
});
