// Phone numbers masked for roles that do not need them (issue 6, PIPL), against real MariaDB
// and Redis: pages, JSON answers and exports walked as an agent, a quality auditor and a report
// viewer must never hold the seeded customer's full number, and do for an admin; search by
// number still finds them; agents call back by reference; bad dial references are refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

const NUMBER = '+8613812345678';
const DIGITS = '13812345678';
const MASKED = '+86138****5678';
const interactionId = randomUUID();
let h: Harness;
let customerId = 0;
const cookies: Record<string, string> = {};

const get = (url: string, who: string) => h.app.inject({ method: 'GET', url, headers: { cookie: cookies[who] as string } });
const post = (url: string, who: string, body: unknown) =>
  h.app.inject({ method: 'POST', url, headers: { cookie: cookies[who] as string, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const range = `from=${encodeURIComponent('2026-04-02T08:00:00Z')}&to=${encodeURIComponent('2026-04-02T10:00:00Z')}`;

/** What each role may open that shows the seeded number (the matrix in docs/permissions.md). */
const URLS: Record<string, () => string[]> = {
  agent: () => ['/customers', `/customers/${customerId}`, `/api/v1/customers/${customerId}`, `/api/v1/customers/${customerId}/history`, `/api/v1/customers?q=${encodeURIComponent('138 1234 5678')}`, `/api/v1/customers/lookup?number=${encodeURIComponent(NUMBER)}`],
  quality: () => ['/interactions', `/interactions/${interactionId}`, `/api/v1/interactions?number=${DIGITS}`, `/api/v1/interactions/${interactionId}`, '/api/v1/interactions.csv'],
  reports: () => [`/api/v1/exports/queue_log?${range}`],
};

describe('phone numbers masked by role', () => {
  before(async () => {
    h = await routingHarness();
    cookies.admin = h.cookie;
    for (const role of ['agent', 'quality', 'reports', 'supervisor'] as const) cookies[role] = await h.signInAs(role);
    const res = await h.api('POST', '/api/v1/customers', { name: 'Masked Customer', numbers: [NUMBER] });
    assert.equal(res.statusCode, 201, res.body);
    customerId = res.json().id;
    const at = new Date('2026-04-02T09:00:00Z');
    await h.app.db('interactions').insert({ id: interactionId, direction: 'inbound', caller_number: NUMBER, queue: 'support', entered_at: at, queued_at: at, outcome: 'abandoned', customer_id: customerId });
    await h.app.db('call_events').insert([
      { interaction_id: interactionId, seq: 1, type: 'enter-queue', at, queue: 'support', data: JSON.stringify({ position: 1 }) },
      { interaction_id: interactionId, seq: 2, type: 'callback', at, queue: 'support', data: JSON.stringify({ number: NUMBER }) },
    ]);
    await h.app.db('callbacks').insert({ interaction_id: interactionId, queue: 'support', number: NUMBER, did: '', source: 'caller', status: 'completed', attempts: 1, requested_at: at, expires_at: at });
  });

  after(async () => {
    await h?.close();
  });

  for (const role of ['agent', 'quality', 'reports']) {
    it(`a ${role} never gets the full number, on pages, in JSON or in exports, and sees it masked`, async () => {
      for (const url of URLS[role]!()) {
        const res = await get(url, role);
        assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
        assert.ok(!res.body.includes(DIGITS), `${role} ${url} holds the number`);
        assert.ok(res.body.includes(MASKED), `${role} ${url} shows no masked number`);
      }
    });

    it(`an admin gets the full number where a ${role} gets it masked`, async () => {
      for (const url of URLS[role]!()) {
        const res = await get(url, 'admin');
        assert.equal(res.statusCode, 200, url);
        assert.ok(res.body.includes(DIGITS), `admin ${url} lacks the number`);
      }
    });
  }

  it('a supervisor sees numbers by default (privacy.unmaskedRoles)', async () => {
    const res = await get(`/api/v1/interactions/${interactionId}`, 'supervisor');
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(NUMBER) && !res.body.includes(MASKED));
  });

  it('search by number still finds the customer and the call for masked roles', async () => {
    const customers = (await get(`/api/v1/customers?q=${DIGITS}`, 'agent')).json();
    assert.deepEqual(customers.items.map((c: { id: number }) => c.id), [customerId]);
    assert.deepEqual(customers.items[0].numbers, [MASKED]);
    const calls = (await get(`/api/v1/interactions?number=${DIGITS}`, 'quality')).json();
    assert.deepEqual(calls.items.map((i: { id: string }) => i.id), [interactionId]);
  });

  it('the customer page offers an agent no number field to overwrite, and an edit keeps the numbers', async () => {
    const page = await get(`/customers/${customerId}`, 'agent');
    assert.ok(!page.body.includes('id="c-numbers"'));
    assert.ok(page.body.includes('id="c-numbers-masked"'));
    const patched = await h.app.inject({ method: 'PATCH', url: `/api/v1/customers/${customerId}`, headers: { cookie: cookies.agent as string, 'content-type': 'application/json' }, payload: JSON.stringify({ numbers: [MASKED] }) });
    assert.equal(patched.statusCode, 422, 'a masked number sent back is refused, not stored');
    assert.deepEqual((await h.app.db('customer_numbers').where({ customer_id: customerId })).map((r) => r.number), [NUMBER]);
  });

  it('refuses dial references that name nothing, too much, or nothing with a number', async () => {
    const both = await post('/api/v1/calls/dial', 'agent', { number: '5550100', customerId });
    assert.equal(both.statusCode, 400);
    assert.equal(both.json().error.code, 'dial-needs-one-target');
    assert.equal((await post('/api/v1/calls/dial', 'agent', {})).statusCode, 400);
    assert.equal((await post('/api/v1/calls/dial', 'agent', { interactionId, numberIndex: 1 })).statusCode, 400);
    const unknownCustomer = await post('/api/v1/calls/dial', 'agent', { customerId: 999999 });
    assert.equal(unknownCustomer.statusCode, 404);
    assert.equal((await post('/api/v1/calls/dial', 'agent', { interactionId: randomUUID() })).json().error.code, 'interaction-not-found');
    const bare = (await h.api('POST', '/api/v1/customers', { name: 'No Number' })).json();
    const none = await post('/api/v1/calls/dial', 'agent', { customerId: bare.id });
    assert.equal(none.statusCode, 422);
    assert.equal(none.json().error.code, 'no-number-to-dial');
    assert.equal((await post('/api/v1/calls/dial', 'agent', { customerId, numberIndex: 3 })).json().error.code, 'no-number-to-dial');
  });

  it('resolves a dial reference to the number on the server', async () => {
    assert.equal(await h.app.crm.numberToDial({ customerId }), NUMBER);
    assert.equal(await h.app.crm.numberToDial({ interactionId }), NUMBER);
  });
});
