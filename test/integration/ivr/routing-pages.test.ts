import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from './routing-harness.js';

let h: Harness;

const page = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers: { cookie: h.cookie, ...headers } });
const form = (url: string, fields: Record<string, string>) =>
  h.app.inject({
    method: 'POST', url,
    headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: h.csrf, ...fields }).toString(),
  });
/** The text of the page's textarea, unescaped the way a browser shows it. */
const textarea = (html: string, id: string) =>
  (new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '')
    .replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('the flow and queue pages', () => {
  before(async () => {
    h = await routingHarness();
  });

  after(async () => {
    await h?.close();
  });

  it('lists the flows and where each DID goes', async () => {
    const res = await page('/admin/flows');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<tr data-flow="main">/);
    assert.match(res.body, new RegExp(`<tr data-did="${h.config.demo.did}"><td>${h.config.demo.did}</td><td></td><td>${h.config.demo.queue}</td>`));
  });

  it('shows a flow as JSON in a form that carries the CSRF token and the version', async () => {
    const res = await page('/admin/flows/main');
    assert.equal(res.statusCode, 200);
    assert.equal(JSON.parse(textarea(res.body, 'flow-json')).start, 'hours');
    assert.match(res.body, /name="_csrf" value="[^"]+"/);
    assert.match(res.body, /name="version" value="1"/);
  });

  it('keeps a refused flow as typed and lists its problems beside it', async () => {
    const flow = JSON.parse(textarea((await page('/admin/flows/main')).body, 'flow-json'));
    flow.steps['to-billing'].queue = 'no-such-queue';
    const typed = JSON.stringify(flow, null, 1);
    const res = await form('/admin/flows/main', { json: typed, version: '1' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /<ul id="flow-problems">[\s\S]*<strong>to-billing<\/strong>: [^<]*no-such-queue/);
    assert.equal(textarea(res.body, 'flow-json'), typed);
    assert.equal((await h.api('GET', '/api/v1/ivr/flows/main')).json().version, 1);
  });

  it('says so when the text is not JSON', async () => {
    const res = await form('/admin/flows/main', { json: '{ "name": ', version: '1' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /not valid JSON/);
  });

  it('saves a valid flow as a new version and shows it again', async () => {
    const flow = JSON.parse(textarea((await page('/admin/flows/main')).body, 'flow-json'));
    flow.description = 'edited on the page';
    const res = await form('/admin/flows/main', { json: JSON.stringify(flow), version: '1' });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/admin/flows/main?saved=1');
    const shown = await page('/admin/flows/main?saved=1');
    assert.match(shown.body, /id="flow-saved"/);
    assert.match(shown.body, /name="version" value="2"/);
  });

  it('refuses a save over a newer version', async () => {
    const flow = JSON.parse(textarea((await page('/admin/flows/main')).body, 'flow-json'));
    const res = await form('/admin/flows/main', { json: JSON.stringify(flow), version: '1' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /saved by someone else/);
  });

  it('creates a flow from the new-flow page, and will not delete one a DID uses', async () => {
    const blank = textarea((await page('/admin/flows/new')).body, 'flow-json');
    const created = await form('/admin/flows', { json: blank });
    assert.equal(created.statusCode, 303, created.body);
    assert.equal((await h.api('PUT', '/api/v1/dids/5557001', { flow: 'main' })).statusCode, 200);
    const refused = await form('/admin/flows/main/delete', {});
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /DID 5557001/);
    assert.equal((await form('/admin/flows/new-flow/delete', {})).statusCode, 303);
  });

  it('refuses a page form without the CSRF token', async () => {
    const res = await h.app.inject({
      method: 'POST', url: '/admin/flows/main',
      headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'json=%7B%7D',
    });
    assert.equal(res.statusCode, 403);
  });

  it('lists queues with their skill and members, in Chinese too', async () => {
    const res = await page('/admin/queues', { cookie: `${h.cookie}; lang=zh-CN` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>队列<\/h1>/);
    assert.match(res.body, /<tr data-queue="billing">[\s\S]*?<td>billing<\/td>/);
    assert.match(res.body, /空闲最久优先/);
  });

  it('edits a queue from its fields and JSON, showing problems beside the form', async () => {
    const shown = await page('/admin/queues/billing');
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /<ul id="queue-members">/);
    const advanced = JSON.parse(textarea(shown.body, 'q-advanced'));
    assert.deepEqual(advanced.overflow, []);

    const fields = { skill: 'billing', minLevel: '2', strategy: 'fewest_calls', ringTimeoutSec: '25', wrapUpSec: '5', maxMisses: '3', maxWaiting: '', announceEverySec: '30', serviceLevelSec: '20' };
    const bad = await form('/admin/queues/billing', { ...fields, advanced: '{ "overflow": [{ "afterSec": 10, "action": { "type": "also_queue", "queue": "nowhere" } }] }' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /<strong>\/overflow\/0\/action<\/strong>: names queue nowhere/);

    const ok = await form('/admin/queues/billing', { ...fields, advanced: JSON.stringify({ ...advanced, overflow: [{ afterSec: 45, action: { type: 'widen', level: 1 } }] }) });
    assert.equal(ok.statusCode, 303, ok.body);
    const q = (await h.api('GET', '/api/v1/queues/billing')).json();
    assert.equal(q.strategy, 'fewest_calls');
    assert.equal(q.ringTimeoutSec, 25);
    assert.equal(q.overflow[0].afterSec, 45);
    assert.equal(q.maxWaiting, undefined);
  });

  it('creates a queue from the new-queue page', async () => {
    const res = await form('/admin/queues', { name: 'vip', skill: 'vip', minLevel: '4', strategy: 'best_skill', ringTimeoutSec: '', wrapUpSec: '', maxMisses: '', maxWaiting: '', announceEverySec: '', serviceLevelSec: '', advanced: '' });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal((await h.api('GET', '/api/v1/queues/vip')).json().ringTimeoutSec, 15);
  });

  it('is for admins only', async () => {
    const supervisor = await h.signInAs('supervisor');
    assert.equal((await h.app.inject({ method: 'GET', url: '/admin/flows', headers: { cookie: supervisor } })).statusCode, 403);
    const stranger = await h.app.inject({ method: 'GET', url: '/admin/queues' });
    assert.equal(stranger.statusCode, 302);
  });
});
