// Numbers (DIDs) over /api/v1/dids and the /admin/numbers page: add, read, change, delete,
// the consent announcement settings, and every refusal, each of which changes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from './routing-harness.js';

let h: Harness;
const row = (number: string) => h.app.db('dids').where({ number }).first();
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const allRows = async () => h.app.db('dids').orderBy('number').select('number', 'flow_id', 'queue_id', 'recording', 'consent_prompt_id', 'consent_opt_out_key');

async function form(url: string, fields: Record<string, string>) {
  const page = await h.app.inject({ method: 'GET', url: '/admin/numbers', headers: { cookie: h.cookie } });
  return h.app.inject({
    method: 'POST', url, headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(page.body), ...fields }).toString(),
  });
}

describe('numbers (DIDs) over /api/v1/dids and /admin/numbers', () => {
  let promptId: number;

  before(async () => {
    h = await routingHarness();
    // A prompt row to announce; its file does not matter here (no calls).
    const [id] = await h.app.db('prompts').insert({ name: 'consent-en', kind: 'upload', language: 'en', sha256: 'a'.repeat(64), path: 'cc/prompts/consent', duration_ms: 1000 });
    promptId = Number(id);
  });
  after(async () => h?.close());

  it('adds a number with a queue, reads it back one by one and in the list', async () => {
    const res = await h.api('POST', '/api/v1/dids', { number: '+5556001', queue: 'support' });
    assert.equal(res.statusCode, 201, res.body);
    const want = { number: '+5556001', flow: null, queue: 'support', recording: true, consentPrompt: null, consentPromptName: null, consentOptOutKey: null };
    assert.deepEqual(res.json(), want);
    assert.deepEqual((await h.api('GET', '/api/v1/dids/%2B5556001')).json(), want);
    assert.ok(((await h.api('GET', '/api/v1/dids')).json() as Array<{ number: string }>).some((d) => d.number === '+5556001'));
  });

  it('sets the consent announcement by prompt id or name, with an opt-out key, and clears it', async () => {
    const byId = await h.api('PUT', '/api/v1/dids/%2B5556001', { consentPrompt: promptId, consentOptOutKey: '9' });
    assert.equal(byId.statusCode, 200, byId.body);
    assert.equal(byId.json().consentPrompt, promptId);
    assert.equal(byId.json().consentPromptName, 'consent-en');
    assert.equal(byId.json().consentOptOutKey, '9');
    assert.equal(byId.json().queue, 'support', 'the route is kept');
    const byName = await h.api('PUT', '/api/v1/dids/%2B5556001', { consentPrompt: 'consent-en' });
    assert.equal(byName.json().consentPrompt, promptId);
    const cleared = await h.api('PUT', '/api/v1/dids/%2B5556001', { consentPrompt: null, consentOptOutKey: null });
    assert.equal(cleared.json().consentPrompt, null);
    assert.equal((await row('+5556001')).consent_prompt_id, null);
  });

  it('refuses malformed numbers, duplicates, missing targets and bad consent settings, and changes nothing', async () => {
    const before = await allRows();
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/api/v1/dids', { number: '12ab', queue: 'support' }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', { number: '', queue: 'support' }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', { number: '5'.repeat(40), queue: 'support' }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', { number: '+5556001', queue: 'support' }, 409, 'did-exists'],
      ['POST', '/api/v1/dids', { number: '5556002' }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', { number: '5556002', flow: 'no-such-flow' }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', { number: '5556002', queue: 'no-such-queue' }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', { number: '5556002', queue: 'support', flow: 'main' }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', { number: '5556002', queue: 'support', consentPrompt: 999999 }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', { number: '5556002', queue: 'support', consentOptOutKey: '9' }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', { number: '5556002', queue: 'support', consentPrompt: promptId, consentOptOutKey: '99' }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', { number: '5556002', queue: "support'; DROP TABLE dids; --" }, 422, 'invalid-did-route'],
      ['POST', '/api/v1/dids', [1, 2], 422, 'invalid-did-route'],
      ['PUT', '/api/v1/dids/%2B5556001', { queue: '' }, 422, 'invalid-did-route'],
      ['PUT', '/api/v1/dids/%2B5556001', { flow: 'no-such-flow' }, 422, 'invalid-did-route'],
      ['PUT', '/api/v1/dids/%2B5556001', { consentOptOutKey: '9' }, 422, 'invalid-did-route'],
      ['PUT', '/api/v1/dids/%2B5556001', { recording: 'yes' }, 422, 'invalid-did-route'],
      ['PUT', '/api/v1/dids/5556099', { recording: false }, 404, 'did-not-found'],
      ['DELETE', '/api/v1/dids/5556099', undefined, 404, 'did-not-found'],
    ];
    for (const [method, url, body, status, code] of cases) {
      const res = await h.api(method as 'POST', url, body);
      assert.equal(res.statusCode, status, `${method} ${url} ${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().error.code, code);
      assert.ok(res.json().error.message.length > 10, 'a message a person can read');
    }
    assert.deepEqual(await allRows(), before);
  });

  it('names what is wrong: the missing flow, the duplicate number', async () => {
    assert.match((await h.api('POST', '/api/v1/dids', { number: '5556002', flow: 'nowhere' })).json().error.message, /no flow named nowhere/);
    assert.match((await h.api('POST', '/api/v1/dids', { number: '+5556001', queue: 'support' })).json().error.message, /\+5556001 already exists/);
  });

  it('deletes a number', async () => {
    assert.equal((await h.api('POST', '/api/v1/dids', { number: '5556003', flow: 'main' })).statusCode, 201);
    assert.equal((await h.api('DELETE', '/api/v1/dids/5556003')).statusCode, 204);
    assert.equal(await row('5556003'), undefined);
    assert.equal((await h.api('GET', '/api/v1/dids/5556003')).statusCode, 404);
  });

  it('refuses to delete a prompt a number announces, naming the number', async () => {
    await h.api('PUT', '/api/v1/dids/%2B5556001', { consentPrompt: promptId });
    const res = await h.api('DELETE', `/api/v1/ivr/prompts/${promptId}`);
    assert.equal(res.statusCode, 409, res.body);
    assert.match(res.json().error.message, /DID \+5556001/);
    assert.ok(await h.app.db('prompts').where({ id: promptId }).first(), 'still there');
    await h.api('PUT', '/api/v1/dids/%2B5556001', { consentPrompt: null });
  });

  it('the page lists, adds, changes and deletes numbers, and shows a refusal without changing anything', async () => {
    const added = await form('/admin/numbers', { number: '5556010', target: 'queue:billing', recording: 'off', consentPrompt: String(promptId), consentOptOutKey: '#' });
    assert.equal(added.statusCode, 303, added.body);
    assert.deepEqual({ ...(await row('5556010')) }.consent_opt_out_key, '#');
    const page = await h.app.inject({ method: 'GET', url: '/admin/numbers', headers: { cookie: h.cookie } });
    assert.match(page.body, /<tr data-did="5556010" data-recording="off">/);
    const changed = await form('/admin/numbers/5556010', { target: 'flow:main', recording: 'on', consentPrompt: '', consentOptOutKey: '' });
    assert.equal(changed.statusCode, 303, changed.body);
    const after = await row('5556010');
    assert.equal(after.queue_id, null);
    assert.ok(after.flow_id);
    assert.equal(after.consent_prompt_id, null);
    const before = await allRows();
    const toNothing = await form('/admin/numbers/5556010', { target: '' });
    assert.equal(toNothing.statusCode, 422);
    assert.match(toNothing.body, /id="numbers-problem"[^>]*>give either a flow or a queue/);
    const dup = await form('/admin/numbers', { number: '5556010', target: 'queue:support' });
    assert.equal(dup.statusCode, 409);
    const bad = await form('/admin/numbers', { number: '<script>', target: 'queue:support' });
    assert.equal(bad.statusCode, 422);
    assert.doesNotMatch(bad.body, /<script>/, 'the number is shown as text');
    assert.deepEqual(await allRows(), before);
    assert.equal((await form('/admin/numbers/5556010/delete', {})).statusCode, 303);
    assert.equal(await row('5556010'), undefined);
  });

  it('audits number changes with before and after', async () => {
    const rows = await h.app.db('audit_log').where('action', 'like', 'did.%').orderBy('id');
    const actions = rows.map((r: { action: string }) => r.action);
    for (const a of ['did.create', 'did.route', 'did.delete']) assert.ok(actions.includes(a), `${a} in ${actions.join(' ')}`);
  });
});
