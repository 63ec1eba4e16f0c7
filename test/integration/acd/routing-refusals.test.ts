// Changes that would break routing are refused by the services, naming what depends on
// them, for the API and the pages alike, and leave everything as it was.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const snapshot = async () => ({
  queues: await h.app.db('queues').orderBy('id').select('id', 'name', 'config'),
  flows: await h.app.db('ivr_flows').orderBy('id').select('id', 'name', 'version'),
  dids: await h.app.db('dids').orderBy('number').select('number', 'flow_id', 'queue_id'),
});
const queue = (name: string, extra: Record<string, unknown> = {}) => ({ name, skill: 'support', minLevel: 1, strategy: 'longest_idle', ringTimeoutSec: 15, wrapUpSec: 5, ...extra });

async function refused(method: 'DELETE', url: string, pattern: RegExp): Promise<void> {
  const before = await snapshot();
  const res = await h.api(method, url);
  assert.equal(res.statusCode, 409, `${url}: ${res.body}`);
  assert.match(res.json().error.message, pattern);
  assert.deepEqual(await snapshot(), before, 'nothing changed');
}

describe('refusing changes that would break routing', () => {
  before(async () => {
    h = await routingHarness();
  });
  after(async () => h?.close());

  it('a queue a waiting callback belongs to cannot be deleted; once the callback is done it can', async () => {
    assert.equal((await h.api('POST', '/api/v1/queues', queue('cb-only'))).statusCode, 201);
    const interactionId = randomUUID();
    const now = new Date();
    await h.app.db('callbacks').insert({
      interaction_id: interactionId, queue: 'cb-only', number: '13800000000', source: 'api', status: 'scheduled',
      requested_at: now, expires_at: new Date(now.getTime() + 3600_000),
    });
    await refused('DELETE', '/api/v1/queues/cb-only', /queue cb-only is still used by 1 callback still to be made/);
    const page = await h.app.inject({ method: 'GET', url: '/admin/queues/cb-only', headers: { cookie: h.cookie } });
    const viaPage = await h.app.inject({
      method: 'POST', url: '/admin/queues/cb-only/delete', headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body) }).toString(),
    });
    assert.equal(viaPage.statusCode, 409);
    assert.match(viaPage.body, /1 callback still to be made/);
    await h.app.db('callbacks').where({ interaction_id: interactionId }).update({ status: 'completed' });
    assert.equal((await h.api('DELETE', '/api/v1/queues/cb-only')).statusCode, 204);
  });

  it('a queue a DID, a flow step or another queue\'s overflow names cannot be deleted, and every one is named', async () => {
    assert.equal((await h.api('POST', '/api/v1/queues', queue('target'))).statusCode, 201);
    assert.equal((await h.api('POST', '/api/v1/queues', queue('spills', { overflow: [{ afterSec: 30, action: { type: 'also_queue', queue: 'target' } }] }))).statusCode, 201);
    assert.equal((await h.api('POST', '/api/v1/ivr/flows', { name: 'to-target', language: 'en', start: 'q', steps: { q: { type: 'queue', queue: 'target' } } })).statusCode, 201);
    assert.equal((await h.api('POST', '/api/v1/dids', { number: '5557100', queue: 'target' })).statusCode, 201);
    await refused('DELETE', '/api/v1/queues/target', /DID 5557100.*flow to-target.*queue spills/);
  });

  it('a flow a DID or another flow uses cannot be deleted, and every one is named', async () => {
    assert.equal((await h.api('POST', '/api/v1/ivr/flows', { name: 'via', language: 'en', start: 'go', steps: { go: { type: 'flow', flow: 'to-target' } } })).statusCode, 201);
    assert.equal((await h.api('PUT', '/api/v1/dids/5557101', { flow: 'to-target' })).statusCode, 200);
    await refused('DELETE', '/api/v1/ivr/flows/to-target', /DID 5557101.*flow via/);
  });

  it('a DID cannot be pointed at nothing, at two places, or at something missing', async () => {
    const before = await snapshot();
    for (const body of [{}, { flow: '' }, { queue: '' }, { flow: 'via', queue: 'target' }, { queue: 'gone' }, { flow: 'gone' }]) {
      const res = await h.api('PUT', '/api/v1/dids/5557100', body);
      assert.equal(res.statusCode, 422, `${JSON.stringify(body)}: ${res.body}`);
    }
    assert.deepEqual(await snapshot(), before);
  });
});
