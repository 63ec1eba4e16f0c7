// Callbacks without a phone: scheduling through the API, calling hours that keep a
// callback out of the queue without losing its place, expiry, cancelling, bad input.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
const queue = 'support';
const waitingKey = `cc:queue:${queue}:waiting`;
const inQueue = async (id: string) => (await h.app.redis.zscore(waitingKey, `cb-${id}`)) !== null;
const row = (id: string) => h.app.db('callbacks').where({ interaction_id: id }).first();
const eventTypes = async (id: string) => (await h.app.db('call_events').where({ interaction_id: id }).orderBy('seq')).map((e: { type: string }) => e.type);

async function create(body: Record<string, unknown>): Promise<string> {
  const res = await h.api('POST', '/api/v1/callbacks', body);
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { interactionId: string }).interactionId;
}

async function setCallbackRules(rules: Record<string, unknown>): Promise<void> {
  const body = (await h.api('GET', `/api/v1/queues/${queue}`)).json() as Record<string, unknown>;
  delete body.id;
  delete body.updatedAt;
  const res = await h.api('PUT', `/api/v1/queues/${queue}`, { ...body, callback: rules });
  assert.equal(res.statusCode, 200, res.body);
  h.app.acd.deps.queues.invalidate();
}

const hh = (n: number) => String(n).padStart(2, '0');

describe('callbacks over /api/v1', () => {
  before(async () => {
    h = await routingHarness();
  });

  after(async () => {
    await h?.close();
  });

  it('schedules a callback at the back of the queue, with its record and event', async () => {
    await setCallbackRules({});
    // An international number is called back only where a dial rule allows it (toll-fraud protection).
    assert.equal((await h.api('POST', '/api/v1/dial-rules', { prefix: '001', action: 'allow', label: 'North America' })).statusCode, 201);
    const id = await create({ queue, number: '+1 (555) 010-2000' });
    const r = await row(id);
    assert.equal(r.number, '+15550102000');
    assert.equal(r.status, 'waiting');
    assert.equal(r.source, 'api');
    assert.ok(await inQueue(id), 'in the routing set, where an agent will be offered it');
    assert.deepEqual(await eventTypes(id), ['callback-request']);
    const listed = (await h.api('GET', '/api/v1/callbacks?status=waiting')).json() as Array<{ interactionId: string }>;
    assert.ok(listed.some((c) => c.interactionId === id));
    const one = (await h.api('GET', `/api/v1/callbacks/${id}`)).json() as { status: string; expiresAt: string };
    assert.equal(one.status, 'waiting');
    assert.ok(Date.parse(one.expiresAt) - Date.now() > 230 * 60_000, 'expires after the default 240 minutes');
  });

  it('outside calling hours a callback waits out of the queue, and enters with its old place when they open', async () => {
    const now = new Date();
    const from = (now.getUTCHours() + 2) % 24;
    await setCallbackRules({ hours: { timezone: 'UTC', weekly: [{ days: [1, 2, 3, 4, 5, 6, 7], from: `${hh(from)}:00`, to: from === 23 ? '24:00' : `${hh(from + 1)}:00` }], holidays: [] } });
    const id = await create({ queue, number: '5550103000' });
    assert.equal((await row(id)).status, 'scheduled');
    assert.equal(await inQueue(id), false, 'not offered while calling hours are closed');
    const score = Number(await h.app.redis.hget(`cc:callback:${id}`, 'score'));
    const open = new Date(now);
    open.setUTCHours(from, 30, 0, 0);
    if (open <= now) open.setUTCDate(open.getUTCDate() + 1);
    await h.app.acd.callbacks.tick(now.getTime() + 1000);
    assert.equal(await inQueue(id), false, 'still closed a second later');
    await h.app.acd.callbacks.tick(open.getTime());
    assert.equal((await row(id)).status, 'waiting');
    assert.equal(Number(await h.app.redis.zscore(waitingKey, `cb-${id}`)), score, 'same place as when it was asked for');
  });

  it('a callback asked for later waits until then', async () => {
    await setCallbackRules({});
    const later = new Date(Date.now() + 3600_000).toISOString();
    const id = await create({ queue, number: '5550107000', notBefore: later });
    assert.equal((await row(id)).status, 'scheduled');
    assert.equal(await inQueue(id), false);
    await h.app.acd.callbacks.tick(Date.parse(later) + 1000);
    assert.equal((await row(id)).status, 'waiting');
    assert.ok(await inQueue(id));
  });

  it('a callback nobody made in time expires and leaves the queue', async () => {
    await setCallbackRules({ expireAfterMin: 5 });
    const id = await create({ queue, number: '5550104000' });
    assert.ok(await inQueue(id));
    await h.app.acd.callbacks.tick(Date.now() + 6 * 60_000);
    const r = await row(id);
    assert.equal(r.status, 'expired');
    assert.ok(r.ended_at);
    assert.equal(await inQueue(id), false);
    assert.deepEqual(await eventTypes(id), ['callback-request', 'callback-expired']);
  });

  it('cancels a waiting callback once; a finished or unknown one says why', async () => {
    await setCallbackRules({});
    const id = await create({ queue, number: '5550105000' });
    const del = await h.api('DELETE', `/api/v1/callbacks/${id}`);
    assert.equal(del.statusCode, 204, del.body);
    assert.equal((await row(id)).status, 'cancelled');
    assert.equal(await inQueue(id), false);
    const again = await h.api('DELETE', `/api/v1/callbacks/${id}`);
    assert.equal(again.statusCode, 409);
    assert.equal((again.json() as { error: { code: string } }).error.code, 'callback-finished');
    const unknown = await h.api('DELETE', '/api/v1/callbacks/00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.statusCode, 404);
  });

  it('refuses bad numbers, unknown queues and agents, losing nothing', async () => {
    const before = (await h.app.db('callbacks').count({ n: '*' }))[0] as { n: number };
    for (const [body, status] of [
      [{ queue, number: '12' }, 422],
      [{ queue, number: '555<script>' }, 422],
      [{ queue: 'nope', number: '5550106000' }, 422],
      [{ queue, number: '5550106000', notBefore: 'tomorrow' }, 422],
      [{ queue }, 422],
      [{ queue, number: '5550106000', extra: 1 }, 422],
    ] as const) {
      const res = await h.api('POST', '/api/v1/callbacks', body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
      assert.ok((res.json() as { error: { message: string } }).error.message, 'a message says why');
    }
    const agent = await h.signInAs('agent');
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/callbacks', headers: { cookie: agent, accept: 'application/json' } });
    assert.equal(res.statusCode, 403);
    const after = (await h.app.db('callbacks').count({ n: '*' }))[0] as { n: number };
    assert.equal(Number(after.n), Number(before.n), 'no row for refused requests');
  });
});
