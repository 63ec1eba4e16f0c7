// The CRM over /api/v1/customers and CrmService, against real MariaDB and Redis: lookup by
// caller id in the formats trunks deliver, create and edit with validation that changes
// nothing when it refuses, notes, search, and names with markup kept as plain data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
let agentCookie: string;

const asAgent = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
  h.app.inject({ method, url, headers: { cookie: agentCookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, payload: body === undefined ? undefined : JSON.stringify(body) });

async function create(body: Record<string, unknown>): Promise<{ id: number; numbers: string[]; name: string }> {
  const res = await asAgent('POST', '/api/v1/customers', body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

const counts = async () => ({
  customers: Number((await h.app.db('customers').count({ n: '*' }))[0]!.n),
  numbers: Number((await h.app.db('customer_numbers').count({ n: '*' }))[0]!.n),
  notes: Number((await h.app.db('customer_notes').count({ n: '*' }))[0]!.n),
});

describe('customers over /api/v1 (country code 86)', () => {
  before(async () => {
    // Agents see numbers whole here: this file is about how numbers are stored and matched;
    // what a masked role sees is test/integration/privacy/number-masking.test.ts.
    h = await routingHarness({
      crm: { countryCode: '86', nationalPrefix: '0', internationalPrefix: '00', nationalMinDigits: 8 },
      privacy: { unmaskedRoles: ['admin', 'supervisor', 'agent'] },
    });
    agentCookie = await h.signInAs('agent');
  });

  after(async () => {
    await h?.close();
  });

  it('an agent creates a customer; numbers are stored normalised and without repeats', async () => {
    const c = await create({ name: '  Wang Fang ', level: 'gold', tags: ['vip-line', ' mandarin ', 'mandarin', ''], numbers: ['+86 138-1234-5678', '0086 13812345678', '010 6552 9988'] });
    assert.equal(c.name, 'Wang Fang');
    assert.deepEqual(c.numbers, ['+8613812345678', '+861065529988']);
    const got = (await asAgent('GET', `/api/v1/customers/${c.id}`)).json() as Record<string, unknown>;
    assert.deepEqual(got.tags, ['vip-line', 'mandarin']);
    assert.equal(got.level, 'gold');
    assert.deepEqual(got.latestNotes, []);
    assert.equal(typeof got.createdBy, 'number');
  });

  it('the caller-id lookup finds the customer whatever format the trunk delivers, and anonymous finds nobody', async () => {
    const c = await create({ name: 'Li Lei', numbers: ['13900001111'] });
    for (const callerId of ['13900001111', '013900001111', '+8613900001111', '008613900001111', '8613900001111', ' +86 139 0000 1111 ']) {
      assert.equal((await h.app.crm.lookup(callerId))?.id, c.id, callerId);
    }
    for (const callerId of ['anonymous', 'Anonymous', '', '   ', null, undefined, 'unknown', '1390000111', '+13900001111x']) {
      assert.equal(await h.app.crm.lookup(callerId), undefined, String(callerId));
    }
    const api = (await asAgent('GET', `/api/v1/customers/lookup?number=${encodeURIComponent('0086 139-0000-1111')}`)).json() as { number: string; customer: { id: number } };
    assert.equal(api.number, '+8613900001111');
    assert.equal(api.customer.id, c.id);
    const none = (await asAgent('GET', '/api/v1/customers/lookup?number=anonymous')).json();
    assert.deepEqual(none, { number: null, customer: null });
  });

  it('a number shared by two customers is looked up as the most recently updated one', async () => {
    const a = await create({ name: 'Switchboard A', numbers: ['+442079460000'] });
    const b = await create({ name: 'Switchboard B', numbers: ['+442079460000'] });
    assert.equal((await h.app.crm.lookup('00442079460000'))?.id, b.id);
    assert.equal((await asAgent('PATCH', `/api/v1/customers/${a.id}`, { notes: 'head office' })).statusCode, 200);
    assert.equal((await h.app.crm.lookup('00442079460000'))?.id, a.id);
  });

  it('a name with markup is stored as it was typed and returned as a plain JSON string', async () => {
    const name = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const c = await create({ name, notes: '"quotes" & <b>bold</b>' });
    const row = await h.app.db('customers').where({ id: c.id }).first();
    assert.equal(row.name, name);
    const res = await asAgent('GET', `/api/v1/customers/${c.id}`);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    const got = res.json() as { name: string; notes: string };
    assert.equal(got.name, name);
    assert.equal(got.notes, '"quotes" & <b>bold</b>');
  });

  it('refused creates change nothing and say what was wrong', async () => {
    const was = await counts();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ name: '' }, 'invalid-customer', '/name'],
      [{ name: '   ' }, 'invalid-customer', '/name'],
      [{}, 'invalid-customer', '/name'],
      [{ name: 'x'.repeat(129) }, 'invalid-customer', '/name'],
      [{ name: 'Tags', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'invalid-customer', '/tags'],
      [{ name: 'Tag', tags: ['y'.repeat(33)] }, 'invalid-customer', '/tags/0'],
      [{ name: 'Level', level: 'platinum' }, 'invalid-customer', '/level'],
      [{ name: 'Mail', email: 'not an email' }, 'invalid-customer', '/email'],
      [{ name: 'Extra', isAdmin: true }, 'invalid-customer', '/isAdmin'],
      [{ name: 'Number', numbers: ['+86 138 1234 5678', 'anonymous'] }, 'invalid-phone-number', '/numbers/1'],
      [{ name: 'Short', numbers: ['12'] }, 'invalid-phone-number', '/numbers/0'],
    ];
    for (const [body, code, path] of cases) {
      const res = await asAgent('POST', '/api/v1/customers', body);
      assert.equal(res.statusCode, 422, JSON.stringify(body));
      const err = (res.json() as { error: { code: string; details: { problems: Array<{ path: string }> } } }).error;
      assert.equal(err.code, code, JSON.stringify(body));
      assert.ok(err.details.problems.some((p) => p.path === path), `${JSON.stringify(body)}: ${JSON.stringify(err.details.problems)}`);
    }
    assert.deepEqual(await counts(), was);
  });

  it('refused edits leave the customer as it was', async () => {
    const c = await create({ name: 'Zhao Min', level: 'silver', tags: ['a'], numbers: ['13700002222'] });
    const before = (await asAgent('GET', `/api/v1/customers/${c.id}`)).json();
    for (const body of [{}, { name: '' }, { level: 'gold', tags: 'not a list' }, { name: 'New', numbers: ['call me'] }, { notes: 'n'.repeat(4001) }]) {
      const res = await asAgent('PATCH', `/api/v1/customers/${c.id}`, body);
      assert.equal(res.statusCode, 422, `${JSON.stringify(body).slice(0, 60)}: ${res.body}`);
    }
    assert.deepEqual((await asAgent('GET', `/api/v1/customers/${c.id}`)).json(), before);
    const missing = await asAgent('PATCH', '/api/v1/customers/999999', { name: 'Nobody' });
    assert.equal(missing.statusCode, 404);
    assert.equal((missing.json() as { error: { code: string } }).error.code, 'customer-not-found');
  });

  it('an edit changes only the fields given, and a numbers list replaces the old one', async () => {
    const c = await create({ name: 'Sun Li', tags: ['x'], email: 'sun@example.com', numbers: ['13600003333', '13600004444'] });
    const res = await asAgent('PATCH', `/api/v1/customers/${c.id}`, { level: 'vip', numbers: ['136 0000 4444', '+1 555 010 2000'], email: '' });
    assert.equal(res.statusCode, 200, res.body);
    const got = res.json() as { name: string; level: string; tags: string[]; email: string | null; numbers: string[] };
    assert.equal(got.name, 'Sun Li');
    assert.equal(got.level, 'vip');
    assert.deepEqual(got.tags, ['x']);
    assert.equal(got.email, null, 'an emptied email is no email');
    assert.deepEqual(got.numbers, ['+8613600004444', '+15550102000']);
    assert.equal(await h.app.crm.lookup('13600003333'), undefined, 'the removed number no longer finds the customer');
  });

  it('notes are appended with their author and shown newest first; a bad note adds nothing', async () => {
    const c = await create({ name: 'Note Taker' });
    for (const text of ['first call: asked about invoice', '<b>second</b> call']) {
      const res = await asAgent('POST', `/api/v1/customers/${c.id}/notes`, { text });
      assert.equal(res.statusCode, 201, res.body);
    }
    const was = await counts();
    for (const body of [{ text: '' }, { text: '   ' }, { text: 'z'.repeat(4001) }, {}]) {
      const res = await asAgent('POST', `/api/v1/customers/${c.id}/notes`, body);
      assert.equal(res.statusCode, 422);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'invalid-note');
    }
    assert.equal((await asAgent('POST', '/api/v1/customers/999999/notes', { text: 'x' })).statusCode, 404);
    assert.deepEqual(await counts(), was);
    const got = (await asAgent('GET', `/api/v1/customers/${c.id}`)).json() as { latestNotes: Array<{ text: string; author: string; at: string }> };
    assert.deepEqual(got.latestNotes.map((n) => n.text), ['<b>second</b> call', 'first call: asked about invoice']);
    assert.ok(got.latestNotes.every((n) => n.author.startsWith('agent-') && !Number.isNaN(Date.parse(n.at))));
  });

  it('search finds customers by part of a name or number, a page at a time', async () => {
    for (const n of ['Searchable Ann', 'Searchable Bob', 'Searchable Cy']) await create({ name: n, numbers: [`1350000${n.length}${n.charCodeAt(11)}`] });
    const first = (await asAgent('GET', '/api/v1/customers?q=searchable&limit=2')).json() as { items: Array<{ name: string }>; nextOffset: number | null };
    assert.deepEqual(first.items.map((c) => c.name), ['Searchable Ann', 'Searchable Bob']);
    assert.equal(first.nextOffset, 2);
    const second = (await asAgent('GET', '/api/v1/customers?q=searchable&limit=2&offset=2')).json() as typeof first;
    assert.deepEqual(second.items.map((c) => c.name), ['Searchable Cy']);
    assert.equal(second.nextOffset, null);
    const byNumber = (await asAgent('GET', `/api/v1/customers?q=${encodeURIComponent('139-0000-1111')}`)).json() as typeof first;
    assert.deepEqual(byNumber.items.map((c) => c.name), ['Li Lei']);
    const wildcard = (await asAgent('GET', '/api/v1/customers?q=%25')).json() as typeof first;
    assert.deepEqual(wildcard.items, [], 'a % typed by the user matches a %, not everything');
  });

  it('only signed-in agents, supervisors and admins may use it; JSON writes need no CSRF token, form posts do', async () => {
    const stranger = await h.app.inject({ method: 'GET', url: '/api/v1/customers' });
    assert.equal(stranger.statusCode, 401);
    const supervisor = await h.signInAs('supervisor');
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/customers?q=Li', headers: { cookie: supervisor } });
    assert.equal(res.statusCode, 200);
    const forged = await h.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { cookie: agentCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=Forged' });
    assert.equal(forged.statusCode, 403);
    assert.equal(await h.app.db('customers').where({ name: 'Forged' }).first(), undefined);
  });

  it('the routes are documented in OpenAPI', async () => {
    const spec = (await h.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const path of ['/api/v1/customers', '/api/v1/customers/lookup', '/api/v1/customers/{id}', '/api/v1/customers/{id}/notes', '/api/v1/customers/{id}/history']) {
      assert.ok(spec.paths[path], path);
    }
    assert.ok(spec.paths['/api/v1/customers']?.post && spec.paths['/api/v1/customers/{id}']?.patch);
  });
});
