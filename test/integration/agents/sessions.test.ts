import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

// Sessions against real MariaDB and Redis (no Asterisk): pause reasons, log in and out with
// hot-desking, who may act on which agent, PINs, and the state log behind the agent's day.

let h: Harness;
const idOf = async (number: string) => Number((await h.app.db('agents').where({ number }).first('id')).id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newAgent(number: string, extension: string): Promise<number> {
  const [id] = await h.app.db('agents').insert({ number, name: `Agent ${number}`, extension });
  return Number(id);
}

describe('pause reasons', () => {
  before(async () => {
    h = await routingHarness();
  });
  after(async () => h?.close());

  it('comes with break, lunch, training and the system no-answer reason', async () => {
    const res = await h.api('GET', '/api/v1/pause-reasons');
    assert.equal(res.statusCode, 200);
    const byName = Object.fromEntries(res.json().map((r: { name: string }) => [r.name, r]));
    assert.deepEqual(Object.keys(byName).sort(), ['break', 'lunch', 'no-answer', 'training']);
    assert.equal(byName['no-answer'].system, true);
    assert.equal(byName.lunch.paid, false);
  });

  it('an admin adds, changes and removes a reason; a taken code is refused', async () => {
    const created = await h.api('POST', '/api/v1/pause-reasons', { name: 'meeting', code: '4', label: 'Team meeting', paid: true });
    assert.equal(created.statusCode, 201);
    const id = created.json().id;
    const clash = await h.api('POST', '/api/v1/pause-reasons', { name: 'coaching', code: '4', label: 'Coaching', paid: true });
    assert.equal(clash.statusCode, 409);
    assert.equal(clash.json().error.code, 'pause-reason-taken');
    const changed = await h.api('PUT', `/api/v1/pause-reasons/${id}`, { name: 'meeting', code: '5', label: 'Meeting', paid: false, active: true });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.json().code, '5');
    assert.equal((await h.api('DELETE', `/api/v1/pause-reasons/${id}`)).statusCode, 204);
    assert.equal((await h.api('GET', `/api/v1/pause-reasons`)).json().some((r: { name: string }) => r.name === 'meeting'), false);
  });

  it('the system reason cannot be removed, renamed or switched off', async () => {
    const sys = (await h.app.pauseReasons.list()).find((r) => r.system);
    assert.ok(sys);
    const del = await h.api('DELETE', `/api/v1/pause-reasons/${sys.id}`);
    assert.equal(del.statusCode, 409);
    assert.equal(del.json().error.code, 'system-pause-reason');
    const off = await h.api('PUT', `/api/v1/pause-reasons/${sys.id}`, { name: sys.name, code: sys.code, label: sys.label, paid: sys.paid, active: false });
    assert.equal(off.statusCode, 409);
  });

  it('pausing with an unknown or inactive reason is refused with a clear error, and the agent stays as it was', async () => {
    const agentId = await idOf('1003');
    const before = await h.app.agents.get(agentId);
    const unknown = await h.api('POST', `/api/v1/agents/${agentId}/state`, { state: 'paused', reason: 'nap' });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.code, 'unknown-pause-reason');
    assert.match(unknown.json().error.message, /"nap" is not an active pause reason/);
    const training = (await h.app.pauseReasons.list()).find((r) => r.name === 'training');
    assert.ok(training);
    await h.api('PUT', `/api/v1/pause-reasons/${training.id}`, { name: 'training', code: training.code, label: training.label, paid: true, active: false });
    const inactive = await h.api('POST', `/api/v1/agents/${agentId}/state`, { state: 'paused', reason: 'training' });
    assert.equal(inactive.statusCode, 400);
    assert.equal((await h.app.agents.get(agentId)).state, before.state);
    const byCode = await h.api('POST', `/api/v1/agents/${agentId}/state`, { state: 'paused', reason: '2' });
    assert.equal(byCode.statusCode, 200);
    assert.equal(byCode.json().pauseReason, 'lunch');
    assert.equal(byCode.json().unavailableReason, 'paused');
  });

  it('only an admin edits reasons; an agent may read them', async () => {
    const cookie = await h.signInAs('agent');
    const post = await h.app.inject({ method: 'POST', url: '/api/v1/pause-reasons', headers: { cookie, 'content-type': 'application/json' }, payload: { name: 'x', code: '7', label: 'X', paid: true } });
    assert.equal(post.statusCode, 403);
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/v1/pause-reasons', headers: { cookie } })).statusCode, 200);
  });

  it('the admin page lists the reasons with names as text and adds one through its form', async () => {
    await h.app.pauseReasons.create({ name: 'odd', code: '66', label: '<script>alert(1)</script>', paid: false, active: true });
    const page = await h.app.inject({ method: 'GET', url: '/admin/pause-reasons', headers: { cookie: h.cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(page.body, /<script>alert/);
    const form = new URLSearchParams({ _csrf: h.csrf, name: 'coaching', code: '8', label: 'Coaching', paid: 'on', active: 'on' }).toString();
    const res = await h.app.inject({ method: 'POST', url: '/admin/pause-reasons', headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
    assert.equal(res.statusCode, 303);
    assert.equal((await h.app.pauseReasons.lookup('8'))?.name, 'coaching');
  });
});

describe('sessions, hot-desking and PINs', () => {
  before(async () => {
    h = await routingHarness();
  });
  after(async () => h?.close());

  it('logging in on another agent\'s phone takes the phone: that agent is logged out, offers go to this phone', async () => {
    const a1 = await idOf('1001');
    const a2 = await idOf('1002');
    // The demo config logs every demo agent in on its own phone at boot.
    assert.equal((await h.app.agents.get(a2)).phone, '1002');
    const res = await h.api('POST', `/api/v1/agents/${a1}/session`, { extension: '1002' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().phone, '1002');
    assert.equal(res.json().state, 'ready');
    const evicted = await h.app.agents.get(a2);
    assert.equal(evicted.state, 'logged_out');
    assert.equal(evicted.unavailableReason, 'logged-out');
    assert.equal((await h.app.agentSessions.agentAt('1002'))?.id, a1);
    // Phone 1001 has nobody now: its owner is logged in elsewhere.
    assert.equal(await h.app.agentSessions.agentAt('1001'), undefined);
  });

  it('logging out frees the phone; a phone the system does not have is refused', async () => {
    const a1 = await idOf('1001');
    const out = await h.api('DELETE', `/api/v1/agents/${a1}/session`);
    assert.equal(out.statusCode, 200);
    assert.equal(out.json().state, 'logged_out');
    assert.equal(out.json().phone, '1001');
    // Feature codes keyed on 1002 now act on its own agent again.
    assert.equal((await h.app.agentSessions.agentAt('1002'))?.number, '1002');
    const bad = await h.api('POST', `/api/v1/agents/${a1}/session`, { extension: '7777' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'unknown-phone');
  });

  it('an agent user acts on its own agent only', async () => {
    const own = await idOf('1003');
    const other = await idOf('1004');
    const cookie = await h.signInAs('agent');
    const user = await h.app.db('users').orderBy('id', 'desc').first('id');
    await h.app.db('agents').where({ id: own }).update({ user_id: user.id });
    const as = (method: 'POST' | 'GET', url: string, body?: unknown) =>
      h.app.inject({ method, url, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    assert.equal((await as('POST', `/api/v1/agents/${own}/state`, { state: 'paused', reason: 'break' })).statusCode, 200);
    const refused = await as('POST', `/api/v1/agents/${other}/state`, { state: 'paused', reason: 'break' });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'forbidden');
    assert.equal((await as('GET', `/api/v1/agents/${other}/day`)).statusCode, 403);
    assert.equal((await as('GET', `/api/v1/agents/${own}/day`)).statusCode, 200);
  });

  it('a PIN is set by an admin, stored hashed, and checked with the agent number', async () => {
    const a4 = await idOf('1004');
    const set = await h.api('PUT', `/api/v1/agents/${a4}/pin`, { pin: '4711' });
    assert.equal(set.statusCode, 204);
    const stored = (await h.app.db('agents').where({ id: a4 }).first('pin_hash')).pin_hash as string;
    assert.match(stored, /^scrypt\$/);
    assert.doesNotMatch(stored, /4711/);
    assert.equal((await h.app.agentSessions.checkPin('1004', '4711'))?.id, a4);
    assert.equal(await h.app.agentSessions.checkPin('1004', '4712'), undefined);
    assert.equal(await h.app.agentSessions.checkPin('1003', '4711'), undefined, 'an agent without a PIN cannot log in by phone');
    assert.equal((await h.api('PUT', `/api/v1/agents/${a4}/pin`, { pin: '12' })).statusCode, 400);
  });
});

describe('the state log and the agent\'s day', () => {
  before(async () => {
    h = await routingHarness();
  });
  after(async () => h?.close());

  it('every move is one row (from, to, reason, phone), and the day adds them up', async () => {
    const id = await newAgent('3001', '1003');
    const s = h.app.agentSessions;
    await s.login(id, { phone: '1004' }, 'test');
    await sleep(400);
    await s.pause(id, 'lunch', 'test');
    await sleep(600);
    await s.pause(id, 'break', 'test');
    await sleep(300);
    await s.ready(id, 'test');
    assert.ok(await h.app.agents.move(id, 'ready', 'paused', { pauseReason: 'no-answer', actor: 'acd' }));
    await s.logout(id, 'test');
    // A handled call of this agent today: 90 s of talk.
    const now = new Date();
    await h.app.db('interactions').insert({ id: '00000000-0000-4000-8000-000000003001', direction: 'inbound', caller_number: '555', entered_at: now, answered_at: now, agent_id: id, talk_ms: 90_000, outcome: 'answered' });

    const res = await h.api('GET', `/api/v1/agents/${id}/day`);
    assert.equal(res.statusCode, 200);
    const rows = await h.app.db('agent_state_log').where({ agent_id: id }).orderBy('seq').select('from_state', 'to_state', 'reason', 'phone');
    assert.deepEqual(rows.map((r) => `${r.from_state}>${r.to_state}:${r.reason ?? ''}@${r.phone ?? ''}`), [
      'logged_out>ready:@1004', 'ready>paused:lunch@1004', 'paused>paused:break@1004', 'paused>ready:@1004',
      'ready>paused:no-answer@1004', 'paused>logged_out:@1004',
    ]);
    const day = res.json();
    assert.equal(day.callsHandled, 1);
    assert.equal(day.talkSec, 90);
    assert.equal(day.ahtSec, 90);
    const near = (got: number, want: number) => assert.ok(Math.abs(got - want) <= 0.25, `${got} s, expected about ${want} s`);
    near(day.stateSec.ready, 0.4);
    near(day.pauseSec.lunch, 0.6);
    near(day.pauseSec.break, 0.3);
    near(day.pauseUnpaidSec, 0.6);
    near(day.pausePaidSec, 0.3 + (day.pauseSec['no-answer'] ?? 0));
  });

  it('refuses a date that is not one', async () => {
    const id = await idOf('1001');
    const res = await h.api('GET', `/api/v1/agents/${id}/day?date=2024-13-45`);
    assert.equal(res.statusCode, 400);
  });
});
