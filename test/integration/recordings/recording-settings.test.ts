// The recording switch and retention days of queues, and the recording switch of DIDs,
// over the API and the admin pages: defaults, changes, and bad values refused with a
// clear error that changes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const queue = async (name: string) => (await h.api('GET', `/api/v1/queues/${name}`)).json();
const did = async (number: string) => h.app.db('dids').where({ number }).first();

async function form(url: string, fields: Record<string, string>) {
  const page = await h.app.inject({ method: 'GET', url: '/admin/queues', headers: { cookie: h.cookie } });
  return h.app.inject({
    method: 'POST', url, headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(page.body), ...fields }).toString(),
  });
}

describe('recording settings of queues and DIDs', { timeout: 60000 }, () => {
  before(async () => {
    h = await routingHarness();
  });

  after(async () => {
    await h?.close();
  });

  it('records and keeps recordings forever by default', async () => {
    const q = await queue('support');
    assert.equal(q.recording, true);
    assert.equal(q.retentionDays, null);
    const dids = (await h.api('GET', '/api/v1/dids')).json() as Array<{ number: string; recording: boolean }>;
    assert.ok(dids.length > 0);
    assert.ok(dids.every((d) => d.recording === true));
  });

  it('creates and changes a queue\'s recording and retention over the API', async () => {
    const res = await h.api('POST', '/api/v1/queues', { name: 'quiet', skill: 'quiet', strategy: 'longest_idle', recording: false, retentionDays: 90 });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual([res.json().recording, res.json().retentionDays], [false, 90]);
    const put = await h.api('PUT', '/api/v1/queues/quiet', { name: 'quiet', skill: 'quiet', strategy: 'longest_idle', recording: true, retentionDays: null });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual([(await queue('quiet')).recording, (await queue('quiet')).retentionDays], [true, null]);
  });

  it('refuses bad recording and retention values by name, and changes nothing', async () => {
    const before = await queue('billing');
    const { id, updatedAt, ...body } = before;
    assert.ok(id && updatedAt);
    for (const [bad, path] of [
      [{ retentionDays: 0 }, '/retentionDays'], [{ retentionDays: -3 }, '/retentionDays'], [{ retentionDays: 2.5 }, '/retentionDays'],
      [{ retentionDays: 'ninety' }, '/retentionDays'], [{ retentionDays: 100000 }, '/retentionDays'], [{ recording: 'yes' }, '/recording'],
    ] as const) {
      const res = await h.api('PUT', '/api/v1/queues/billing', { ...body, ...bad });
      assert.equal(res.statusCode, 422, `${JSON.stringify(bad)}: ${res.body}`);
      assert.equal(res.json().error.code, 'invalid-queue');
      const paths = (res.json().error.details.problems as Array<{ path: string }>).map((p) => p.path);
      assert.ok(paths.some((p) => p.startsWith(path)), `${path} named for ${JSON.stringify(bad)}: ${paths.join(' ')}`);
    }
    assert.deepEqual(await queue('billing'), before);
    const created = await h.api('POST', '/api/v1/queues', { name: 'never', skill: 'never', strategy: 'longest_idle', retentionDays: 0 });
    assert.equal(created.statusCode, 422);
    assert.equal((await h.api('GET', '/api/v1/queues/never')).statusCode, 404);
  });

  it('sets both from the queue page, and shows a refusal beside the form', async () => {
    const fields = { skill: 'billing', strategy: 'longest_idle', advanced: '' };
    const bad = await form('/admin/queues/billing', { ...fields, recording: 'off', retentionDays: 'soon' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /<strong>\/retentionDays<\/strong>/);
    assert.equal((await queue('billing')).recording, true, 'nothing saved');
    const ok = await form('/admin/queues/billing', { ...fields, recording: 'off', retentionDays: '30' });
    assert.equal(ok.statusCode, 303, ok.body);
    assert.deepEqual([(await queue('billing')).recording, (await queue('billing')).retentionDays], [false, 30]);
    const shown = await h.app.inject({ method: 'GET', url: '/admin/queues/billing', headers: { cookie: h.cookie } });
    assert.match(shown.body, /<option value="off" selected>/);
    assert.match(shown.body, /name="retentionDays"[^>]*value="30"/);
    const list = await h.app.inject({ method: 'GET', url: '/admin/queues', headers: { cookie: h.cookie } });
    assert.match(list.body, /<tr data-queue="billing">[\s\S]*?data-recording="off"/);
  });

  it('switches a DID\'s recording alone, or with its route, over the API', async () => {
    const number = h.config.demo.did;
    const off = await h.api('PUT', `/api/v1/dids/${number}`, { recording: false });
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(off.json().recording, false);
    assert.equal(off.json().queue, 'support', 'the route is kept');
    assert.equal((await did(number)).recording, 0);
    const added = await h.api('PUT', '/api/v1/dids/5559876', { queue: 'billing', recording: false });
    assert.equal(added.statusCode, 200, added.body);
    assert.equal(added.json().recording, false);
    const rerouted = await h.api('PUT', '/api/v1/dids/5559876', { queue: 'support' });
    assert.equal(rerouted.json().recording, false, 'a route change leaves the switch alone');
    const fresh = await h.api('PUT', '/api/v1/dids/5559877', { queue: 'support' });
    assert.equal(fresh.json().recording, true, 'a new DID records');
  });

  it('refuses bad DID recording values, and changes nothing', async () => {
    const number = '5559876';
    const before = await did(number);
    for (const body of [{ recording: 'no' }, { recording: 0 }, { queue: 'support', recording: 'off' }, { recording: true, colour: 'red' }]) {
      const res = await h.api('PUT', `/api/v1/dids/${number}`, body);
      assert.equal(res.statusCode, 422, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().error.code, 'invalid-did-route');
    }
    assert.equal((await did(number)).recording, before.recording);
    assert.equal((await did(number)).queue_id, before.queue_id);
    const unknown = await h.api('PUT', '/api/v1/dids/5550000', { recording: false });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'did-not-found');
    assert.equal(await did('5550000'), undefined, 'not created');
  });

  it('switches a DID\'s recording from the flows page', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/admin/flows', headers: { cookie: h.cookie } });
    assert.match(page.body, /<tr data-did="5559877">[\s\S]*?data-recording="on"/);
    const res = await h.app.inject({
      method: 'POST', url: '/admin/dids/5559877/recording', headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body), recording: 'off' }).toString(),
    });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal((await did('5559877')).recording, 0);
    const after = await h.app.inject({ method: 'GET', url: '/admin/flows', headers: { cookie: h.cookie } });
    assert.match(after.body, /<tr data-did="5559877">[\s\S]*?data-recording="off"/);
    const forged = await h.app.inject({
      method: 'POST', url: '/admin/dids/5559877/recording', headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ recording: 'on' }).toString(),
    });
    assert.equal(forged.statusCode, 403, 'no CSRF token, no change');
    assert.equal((await did('5559877')).recording, 0);
  });
});
