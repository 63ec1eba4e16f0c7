// Agents set up by an admin, from the API and from the agents setup page, against real
// MariaDB and Redis: what is refused (and leaves nothing behind), what is saved, and the
// audit rows of the changes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { seededDatabase, testConfig } from '../../support/config.js';
import { api, postForm, signIn } from '../../support/web-session.js';

const config = testConfig();
let app: FastifyInstance;
let cookie: string;
let anna: number;
let bert: number;
let boss: number;

const agentCount = async () => (await app.agentSetup.list()).length;

describe('setting up agents', () => {
  before(async () => {
    await seededDatabase(config);
    app = await buildApp(config, { telephony: false });
    await app.ready();
    boss = (await app.users.create({ username: 'setup-admin', password: 'setup admin password 1', role: 'admin', displayName: 'Boss' })).id;
    anna = (await app.users.create({ username: 'anna', password: 'anna password 123', role: 'agent', displayName: 'Anna' })).id;
    bert = (await app.users.create({ username: 'bert', password: 'bert password 123', role: 'agent', displayName: 'Bert <b>' })).id;
    cookie = await signIn(app, 'setup-admin', 'setup admin password 1');
  });

  after(async () => {
    await app?.close();
  });

  it('adds, changes and removes an agent through the API, refusing what would not work', async () => {
    const before = await agentCount();
    const made = await api(app, cookie, 'POST', '/api/v1/agents', { number: '7001', name: 'Anna', extension: '7001', userId: anna });
    assert.equal(made.statusCode, 201, made.body);
    const id = (made.json() as { id: number }).id;
    assert.deepEqual(made.json(), { id, number: '7001', name: 'Anna', extension: '7001', userId: anna });

    const refusals: Array<[unknown, number, string]> = [
      [{ number: '7001', name: 'Again', extension: '7002' }, 409, 'agent-number-taken'],
      [{ number: '7002', name: 'Boss', extension: '7002', userId: boss }, 400, 'user-not-agent'],
      [{ number: '7002', name: 'Twice', extension: '7002', userId: anna }, 409, 'user-already-linked'],
      [{ number: '7002', name: 'Nobody', extension: '7002', userId: 999999 }, 400, 'user-not-agent'],
      [{ number: 'x1', name: 'Bad', extension: '7002' }, 422, 'invalid-body'],
      [{ number: '7002', name: '   ', extension: '7002' }, 422, 'invalid-body'],
      [{ number: '7002', name: 'Extra', extension: '7002', admin: true }, 422, 'invalid-body'],
    ];
    for (const [body, status, code] of refusals) {
      const res = await api(app, cookie, 'POST', '/api/v1/agents', body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal((res.json() as { error: { code: string } }).error.code, code);
    }
    assert.equal(await agentCount(), before + 1, 'refused agents were not added');

    const changed = await api(app, cookie, 'PUT', `/api/v1/agents/${id}`, { number: '7001', name: 'Anna K', extension: '7011', userId: null });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal((changed.json() as { extension: string; userId: null }).extension, '7011');
    assert.equal((await api(app, cookie, 'PUT', '/api/v1/agents/999999', { number: '7009', name: 'X', extension: '7009' })).statusCode, 404);

    assert.equal((await api(app, cookie, 'DELETE', `/api/v1/agents/${id}`)).statusCode, 204);
    assert.equal((await api(app, cookie, 'DELETE', `/api/v1/agents/${id}`)).statusCode, 404);
    assert.equal(await agentCount(), before);
  });

  it('refuses to remove an agent that is logged in', async () => {
    const made = await app.agentSetup.create({ number: '7101', name: 'Busy', extension: '7101' });
    await app.agentSessions.login(made.id, {}, 'test');
    const res = await api(app, cookie, 'DELETE', `/api/v1/agents/${made.id}`);
    assert.equal(res.statusCode, 409, res.body);
    assert.equal((res.json() as { error: { code: string } }).error.code, 'agent-not-logged-out');
    assert.ok(await app.agentSetup.get(made.id));
  });

  it('the setup page adds an agent with its user, skills and PIN in one form, and refuses a bad form whole', async () => {
    const before = await agentCount();
    const bad = await postForm(app, cookie, '/admin/agents/setup', '/admin/agents/setup', { number: '7201', name: 'Bert', extension: '7201', userId: String(bert), skills: 'support=3', pin: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="agents-problem"[^>]*>Skills must be written as skill:level/);
    assert.match(bad.body, /value="7201"/, 'the form comes back as typed');
    const badPin = await postForm(app, cookie, '/admin/agents/setup', '/admin/agents/setup', { number: '7201', name: 'Bert', extension: '7201', userId: String(bert), skills: 'support:3', pin: '12' });
    assert.equal(badPin.statusCode, 400);
    assert.equal(await agentCount(), before, 'nothing was saved from a refused form');

    const ok = await postForm(app, cookie, '/admin/agents/setup', '/admin/agents/setup', { number: '7201', name: 'Bert', extension: '7201', userId: String(bert), skills: 'support:3 billing:2', pin: '4321' });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    const agent = (await app.agentSetup.list()).find((a) => a.number === '7201');
    assert.ok(agent);
    assert.equal(agent.userId, bert);
    assert.deepEqual(await app.queues.skillsOf(agent.id), { support: 3, billing: 2 });
    assert.equal((await app.agentSessions.checkPin('7201', '4321'))?.id, agent.id);
    assert.ok((await app.queues.members('support')).some((m) => (m as { id?: number }).id === agent.id || JSON.stringify(m).includes('7201')), 'the agent serves the support queue');

    const page = await app.inject({ url: '/admin/agents/setup', headers: { cookie } });
    assert.match(page.body, /Bert &lt;b&gt; \(bert\)/, 'user names are shown as text');
    assert.match(page.body, /value="(support:3 billing:2|billing:2 support:3)"/);
    assert.match((await app.inject({ url: '/account', headers: { cookie } })).body, /href="\/admin\/agents\/setup"/, 'the nav links the page');
  });

  it('writes an audit row for each change', async () => {
    await app.outbox.flush();
    const res = await api(app, cookie, 'GET', '/api/v1/audit?targetType=agent');
    const body = res.json() as { items?: Array<{ action: string }> } | Array<{ action: string }>;
    const actions = (Array.isArray(body) ? body : body.items ?? []).map((r) => r.action);
    for (const a of ['agent.create', 'agent.update', 'agent.delete']) assert.ok(actions.includes(a), `${a} in ${actions.join(',')}`);
  });
});
