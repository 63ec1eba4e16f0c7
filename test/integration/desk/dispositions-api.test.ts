import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
const codes = async (url: string) => ((await h.api('GET', url)).json() as Array<{ code: string }>).map((d) => d.code);

describe('disposition codes over /api/v1/dispositions', () => {
  before(async () => {
    h = await routingHarness();
  });

  after(async () => {
    await h?.close();
  });

  it('a queue offers its own codes and the global ones; another queue only the global ones', async () => {
    assert.equal((await h.api('POST', '/api/v1/dispositions', { queue: 'support', code: 'resolved', label: 'Resolved', sort: 1 })).statusCode, 201);
    assert.equal((await h.api('POST', '/api/v1/dispositions', { code: 'wrong-number', label: 'Wrong number', sort: 2 })).statusCode, 201);
    assert.deepEqual(await codes('/api/v1/dispositions?queue=support'), ['resolved', 'wrong-number']);
    assert.deepEqual(await codes('/api/v1/dispositions?queue=billing'), ['wrong-number']);
  });

  it('the same code twice in one scope is refused; the same code in another queue is fine', async () => {
    const dup = await h.api('POST', '/api/v1/dispositions', { queue: 'support', code: 'resolved', label: 'Again' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.code, 'disposition-exists');
    const dupGlobal = await h.api('POST', '/api/v1/dispositions', { code: 'wrong-number', label: 'Again' });
    assert.equal(dupGlobal.statusCode, 409);
    assert.equal((await h.api('POST', '/api/v1/dispositions', { queue: 'billing', code: 'resolved', label: 'Paid' })).statusCode, 201);
  });

  it('bad bodies get every problem at once and change nothing', async () => {
    const before = await codes('/api/v1/dispositions');
    const res = await h.api('POST', '/api/v1/dispositions', { code: 'has space', label: '', extra: 1 });
    assert.equal(res.statusCode, 422);
    const paths = (res.json().error.details as Array<{ path: string }>).map((p) => p.path);
    assert.ok(paths.includes('/code') && paths.includes('/label'), paths.join(','));
    const noQueue = await h.api('POST', '/api/v1/dispositions', { queue: 'nope', code: 'x', label: 'X' });
    assert.equal(noQueue.json().error.code, 'queue-not-found');
    const injection = await h.api('POST', '/api/v1/dispositions', { code: "x'; DROP TABLE dispositions; --", label: 'X' });
    assert.equal(injection.statusCode, 422);
    assert.deepEqual(await codes('/api/v1/dispositions'), before);
  });

  it('a deactivated code is no longer offered but stays listed; a removed one is gone', async () => {
    const all = (await h.api('GET', '/api/v1/dispositions')).json() as Array<{ id: number; code: string; queue: string | null }>;
    const wrong = all.find((d) => d.code === 'wrong-number')!;
    const res = await h.api('PATCH', `/api/v1/dispositions/${wrong.id}`, { active: false });
    assert.equal(res.json().active, false);
    assert.deepEqual(await codes('/api/v1/dispositions?queue=support'), ['resolved']);
    assert.equal((await h.api('DELETE', `/api/v1/dispositions/${wrong.id}`)).statusCode, 204);
    assert.equal((await h.api('DELETE', `/api/v1/dispositions/${wrong.id}`)).statusCode, 404);
  });

  it('agents may read the codes but not change them', async () => {
    const cookie = await h.signInAs('agent');
    const read = await h.app.inject({ method: 'GET', url: '/api/v1/dispositions?queue=support', headers: { cookie } });
    assert.equal(read.statusCode, 200);
    const write = await h.app.inject({ method: 'POST', url: '/api/v1/dispositions', headers: { cookie, 'content-type': 'application/json' }, payload: { code: 'x', label: 'X' } });
    assert.equal(write.statusCode, 403);
  });
});

describe('the disposition codes page', () => {
  let p: Harness;
  before(async () => {
    p = await routingHarness();
  });
  after(async () => {
    await p?.close();
  });

  it('an admin adds a code with the form, a bad one is refused beside the form, and a label with markup is shown as text', async () => {
    const page = await p.app.inject({ method: 'GET', url: '/admin/dispositions', headers: { cookie: p.cookie } });
    assert.equal(page.statusCode, 200);
    const form = (body: Record<string, string>) => p.app.inject({
      method: 'POST', url: '/admin/dispositions',
      headers: { cookie: p.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: p.csrf, ...body }).toString(),
    });
    const ok = await form({ queue: 'support', code: 'sale', label: '<script>alert(1)</script> Sale' });
    assert.equal(ok.statusCode, 303);
    const bad = await form({ queue: '', code: 'bad code!', label: '' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /id="problems"/);
    const list = await p.app.inject({ method: 'GET', url: '/admin/dispositions', headers: { cookie: p.cookie } });
    assert.match(list.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; Sale/);
    assert.doesNotMatch(list.body, /<script>alert/);
    const noToken = await p.app.inject({ method: 'POST', url: '/admin/dispositions', headers: { cookie: p.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'code=x&label=X' });
    assert.equal(noToken.statusCode, 403);
    const agent = await p.signInAs('agent');
    assert.equal((await p.app.inject({ method: 'GET', url: '/admin/dispositions', headers: { cookie: agent } })).statusCode, 403);
  });
});
