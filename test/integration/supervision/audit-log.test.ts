// The audit log against real MariaDB: append-only even for raw SQL, searchable by actor,
// action, target and time with paging, admins only over REST; and the supervisor actions
// that write to it (force pause, force log out, monitor requests refused before any call).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { resetDatabase, testConfig } from '../../support/config.js';

const ADMIN = { username: 'audit-admin', password: 'admin password 1', role: 'admin', displayName: 'Audit Admin' } as const;
const SUPER = { username: 'audit-super', password: 'super password 1', role: 'supervisor', displayName: 'Sue <script>' } as const;

let app: FastifyInstance;
let adminId: number;
let superId: number;
let agentId: number;
const cookies: Record<string, string> = {};

async function signIn(username: string, password: string): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const anon = form.cookies.find((c) => c.name === 'cc_session');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST', url: '/login',
    headers: { cookie: `cc_session=${anon?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
  });
  const set = res.cookies.find((c) => c.name === 'cc_session');
  assert.ok(set, `signed in as ${username}`);
  return `cc_session=${set.value}`;
}

const api = (who: 'admin' | 'super' | 'nobody', method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
  app.inject({ method, url, headers: { ...(who === 'nobody' ? {} : { cookie: cookies[who] }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, payload: body === undefined ? undefined : JSON.stringify(body) });

before(async () => {
  const config = testConfig();
  await resetDatabase(config);
  app = await buildApp(config, { telephony: false });
  adminId = (await app.users.create(ADMIN)).id;
  superId = (await app.users.create(SUPER)).id;
  const [id] = await app.db('agents').insert({ number: '7001', name: 'Force Target', extension: '7001' });
  agentId = Number(id);
  await app.ready();
  cookies.admin = await signIn(ADMIN.username, ADMIN.password);
  cookies.super = await signIn(SUPER.username, SUPER.password);
});

after(async () => {
  await app?.close();
});

describe('the audit log', () => {
  it('records an action with actor, target, before and after, and refuses UPDATE and DELETE even in raw SQL', async () => {
    await app.audit.record({ actor: { userId: adminId, username: ADMIN.username }, action: 'test.one', target: { type: 'thing', id: 42 }, before: { a: 1 }, after: { a: 2 }, ip: '10.0.0.9' });
    const row = await app.db('audit_log').where({ action: 'test.one' }).first();
    assert.equal(row.actor_user_id, adminId);
    assert.equal(row.target_id, '42');
    assert.equal(row.ip, '10.0.0.9');
    await assert.rejects(app.db('audit_log').where({ id: row.id }).update({ action: 'rewritten' }), /append-only/);
    await assert.rejects(app.db('audit_log').where({ id: row.id }).delete(), /append-only/);
    assert.equal((await app.db('audit_log').where({ id: row.id }).first()).action, 'test.one');
  });

  it('a replayed outbox write of the same record inserts it once', async () => {
    const row = { uid: '00000000-0000-4000-8000-000000000001', at: new Date(), actor_user_id: null, actor_username: 'system', action: 'test.replay', target_type: 'thing', target_id: '1', before_json: null, after_json: null, ip: null };
    await app.outbox.run({ op: 'audit.insert', args: [row] });
    await app.outbox.run({ op: 'audit.insert', args: [row] });
    assert.equal((await app.db('audit_log').where({ action: 'test.replay' })).length, 1);
  });

  it('searches by actor, action prefix, target and time range, newest first, with paging and a total', async () => {
    const t0 = new Date(Date.now() - 60000);
    for (let i = 0; i < 5; i++) {
      await app.audit.record({ actor: { userId: superId, username: SUPER.username }, action: `search.${i % 2 ? 'odd' : 'even'}`, target: { type: 'agent', id: i }, at: new Date(t0.getTime() + i * 1000) });
    }
    const all = await app.audit.search({ actor: String(superId), action: 'search.*' });
    assert.equal(all.total, 5);
    assert.deepEqual(all.items.map((e) => e.targetId), ['4', '3', '2', '1', '0']);
    assert.equal((await app.audit.search({ actor: SUPER.username, action: 'search.odd' })).total, 2);
    assert.deepEqual((await app.audit.search({ targetType: 'agent', targetId: '3' })).items.map((e) => e.action), ['search.odd']);
    const window = await app.audit.search({ action: 'search.*', from: new Date(t0.getTime() + 1000).toISOString(), to: new Date(t0.getTime() + 3000).toISOString() });
    assert.deepEqual(window.items.map((e) => e.targetId), ['2', '1']);
    const page = await app.audit.search({ action: 'search.*', limit: 2, offset: 2 });
    assert.equal(page.total, 5);
    assert.deepEqual(page.items.map((e) => e.targetId), ['2', '1']);
    // A LIKE wildcard in the filter is text, not a pattern.
    assert.equal((await app.audit.search({ action: 'search%' })).total, 0);
  });

  it('GET /api/v1/audit is for admins only and checks its query', async () => {
    const res = await api('admin', 'GET', '/api/v1/audit?action=search.*&limit=3');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.total, 5);
    assert.equal(body.items.length, 3);
    assert.equal(body.items[0].actorUsername, SUPER.username);
    assert.equal((await api('super', 'GET', '/api/v1/audit')).statusCode, 403);
    assert.equal((await api('nobody', 'GET', '/api/v1/audit')).statusCode, 401);
    assert.equal((await api('admin', 'GET', '/api/v1/audit?limit=5000')).statusCode, 400);
    assert.equal((await api('admin', 'GET', '/api/v1/audit?from=yesterday')).statusCode, 400);
  });
});

describe('supervisor force actions', () => {
  it('force pause moves a ready agent to paused with the reason and writes who did it', async () => {
    await app.agents.move(agentId, (await app.agents.liveState(agentId)).state, 'ready');
    const res = await api('super', 'POST', `/api/v1/agents/${agentId}/force-pause`, { reason: 'training' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().state, 'paused');
    assert.equal(res.json().pauseReason, 'training');
    const [row] = (await app.audit.search({ action: 'agent.force-pause', targetId: String(agentId) })).items;
    assert.ok(row);
    assert.equal(row.actorUserId, superId);
    assert.deepEqual(row.before, { state: 'ready', pauseReason: null });
    assert.deepEqual(row.after, { state: 'paused', pauseReason: 'training' });
  });

  it('a forced action on an agent in a call is refused with agent-on-call, changes nothing and writes nothing', async () => {
    await app.agents.move(agentId, 'paused', 'ready');
    for (const [from, to] of [['ready', 'reserved'], ['reserved', 'ringing'], ['ringing', 'on_call']] as const) assert.ok(await app.agents.move(agentId, from, to));
    const before = (await app.audit.search({ targetType: 'agent', targetId: String(agentId) })).total;
    for (const url of [`/api/v1/agents/${agentId}/force-pause`, `/api/v1/agents/${agentId}/force-logout`]) {
      const res = await api('super', 'POST', url, {});
      assert.equal(res.statusCode, 409, url);
      assert.equal(res.json().error.code, 'agent-on-call');
    }
    assert.equal((await app.agents.liveState(agentId)).state, 'on_call');
    assert.equal((await app.audit.search({ targetType: 'agent', targetId: String(agentId) })).total, before);
  });

  it('force log out from wrap-up logs the agent out; a second one is a no-op without a row; force pause of a logged-out agent is refused', async () => {
    await app.agents.move(agentId, 'on_call', 'wrap_up');
    const res = await api('admin', 'POST', `/api/v1/agents/${agentId}/force-logout`, {});
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().state, 'logged_out');
    assert.equal((await app.audit.search({ action: 'agent.force-logout', targetId: String(agentId) })).total, 1);
    assert.equal((await api('admin', 'POST', `/api/v1/agents/${agentId}/force-logout`, {})).statusCode, 200);
    assert.equal((await app.audit.search({ action: 'agent.force-logout', targetId: String(agentId) })).total, 1);
    const paused = await api('super', 'POST', `/api/v1/agents/${agentId}/force-pause`, {});
    assert.equal(paused.statusCode, 409);
    assert.equal(paused.json().error.code, 'agent-logged-out');
  });

  it('agents cannot force, and an unknown agent is 404', async () => {
    assert.equal((await api('nobody', 'POST', `/api/v1/agents/${agentId}/force-pause`, {})).statusCode, 401);
    assert.equal((await api('super', 'POST', '/api/v1/agents/999999/force-pause', {})).statusCode, 404);
  });
});

describe('monitor requests refused before any phone rings', () => {
  it('checks the extension is digits, the call exists and is connected to an agent', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    const bad = await api('super', 'POST', '/api/v1/monitor', { interactionId: id, mode: 'listen', extension: '10;01' });
    assert.equal(bad.statusCode, 400);
    assert.equal((await api('super', 'POST', '/api/v1/monitor', { interactionId: id, mode: 'spy', extension: '1004' })).statusCode, 400);
    const missing = await api('super', 'POST', '/api/v1/monitor', { interactionId: id, mode: 'listen', extension: '1004' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'call-not-found');
    await app.acd.deps.live.save({ id, state: 'waiting', callerChannel: 'test-caller', callerChannelName: 'PJSIP/x', callerNumber: '1', did: '1', queue: 'q', enteredAt: new Date().toISOString() });
    const waiting = await api('super', 'POST', '/api/v1/monitor', { interactionId: id, mode: 'listen', extension: '1004' });
    assert.equal(waiting.statusCode, 409);
    assert.equal(waiting.json().error.code, 'call-not-connected');
    await app.acd.deps.live.finish({ id, callerChannel: 'test-caller' } as never);
    assert.equal((await api('super', 'PATCH', '/api/v1/monitor/987654', { mode: 'barge' })).statusCode, 404);
    assert.equal((await api('nobody', 'GET', '/api/v1/monitor')).statusCode, 401);
    const byAgent = await api('super', 'POST', '/api/v1/monitor', { agentId, mode: 'listen', extension: '1004' });
    assert.equal(byAgent.statusCode, 409);
    assert.equal(byAgent.json().error.code, 'agent-not-on-call');
    assert.equal((await api('super', 'POST', '/api/v1/monitor', { mode: 'listen', extension: '1004' })).json().error.code, 'monitor-target-missing');
    assert.equal((await app.audit.search({ action: 'monitor.*' })).total, 0, 'nothing started, nothing audited');
  });

  it('the agent board carries the supervisor panel and its script; its event stream is for supervisors only', async () => {
    const page = await app.inject({ method: 'GET', url: '/admin/agents', headers: { cookie: cookies.super } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<section id="supervise"[^>]*data-events="\/admin\/monitor\/events"/);
    assert.match(page.body, /<script src="\/static\/monitor-actions\.js" defer><\/script>/);
    const js = await app.inject({ method: 'GET', url: '/static/monitor-actions.js' });
    assert.equal(js.statusCode, 200);
    assert.doesNotMatch(js.body, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/);
    const stranger = await api('nobody', 'GET', '/admin/monitor/events');
    assert.equal(stranger.statusCode, 302, 'a stranger is sent to sign in');
    assert.match(String(stranger.headers.location), /^\/login/);
  });
});
