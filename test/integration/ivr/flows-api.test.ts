import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateFlow } from '../../../server/ivr/flow-validation.js';
import type { FlowBody } from '../../../server/ivr/schemas.js';
import { routingHarness, type Harness } from './routing-harness.js';

let h: Harness;

interface Problem {
  step?: string;
  code: string;
  message: string;
}

const problemsOf = (body: string): Problem[] => (JSON.parse(body) as { error: { details: { problems: Problem[] } } }).error.details.problems;

/** A small valid flow: a menu with two ways into the demo queues. */
function menuFlow(name: string): FlowBody {
  return {
    name,
    language: 'en',
    start: 'menu',
    steps: {
      menu: { type: 'menu', prompt: [{ sound: 'demo-congrats' }], options: { 1: 'support', 2: 'billing' }, timeoutSec: 5, maxRetries: 2, default: 'support' },
      support: { type: 'queue', queue: 'support' },
      billing: { type: 'queue', queue: 'billing' },
    },
  } as FlowBody;
}

describe('IVR flows over /api/v1/ivr/flows', () => {
  before(async () => {
    h = await routingHarness();
  });

  after(async () => {
    await h?.close();
  });

  it('seeds the demo flow main, valid, with the demo DID still going straight to its queue', async () => {
    const res = await h.api('GET', '/api/v1/ivr/flows/main');
    assert.equal(res.statusCode, 200, res.body);
    const flow = res.json() as FlowBody & { version: number };
    assert.equal(flow.start, 'hours');
    assert.equal(flow.version, 1);
    const ctx = { queueExists: () => true, flowExists: () => true, agentExists: () => true, uploadExists: () => true };
    assert.deepEqual(validateFlow(flow, ctx), []);
    const dids = (await h.api('GET', '/api/v1/dids')).json() as Array<{ number: string; flow: string | null; queue: string | null }>;
    assert.deepEqual(dids.find((d) => d.number === h.config.demo.did), { number: h.config.demo.did, flow: null, queue: h.config.demo.queue, recording: true, consentPrompt: null, consentPromptName: null, consentOptOutKey: null });
  });

  it('creates a valid flow at version 1, with the schema defaults filled in', async () => {
    const flow = menuFlow('sales');
    delete (flow.steps.menu as Partial<{ timeoutSec: number }>).timeoutSec;
    const res = await h.api('POST', '/api/v1/ivr/flows', flow);
    assert.equal(res.statusCode, 201, res.body);
    const saved = res.json() as FlowBody & { id: number; version: number };
    assert.equal(saved.version, 1);
    assert.equal((saved.steps.menu as { timeoutSec: number }).timeoutSec, 5);
    assert.equal((await h.api('GET', '/api/v1/ivr/flows/sales')).json().id, saved.id);
    assert.ok(((await h.api('GET', '/api/v1/ivr/flows')).json() as Array<{ name: string }>).some((f) => f.name === 'sales'));
  });

  it('refuses a second flow of the same name with 409', async () => {
    const res = await h.api('POST', '/api/v1/ivr/flows', menuFlow('sales'));
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'flow-exists');
  });

  it('refuses a flow that sends calls to a missing queue with 422 naming the step', async () => {
    const flow = menuFlow('broken-queue');
    flow.steps.billing = { type: 'queue', queue: 'no-such-queue' };
    const res = await h.api('POST', '/api/v1/ivr/flows', flow);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.code, 'invalid-flow');
    const [problem] = problemsOf(res.body);
    assert.equal(problem?.step, 'billing');
    assert.equal(problem?.code, 'missing-queue');
    assert.match(problem?.message ?? '', /no-such-queue/);
    assert.equal((await h.api('GET', '/api/v1/ivr/flows/broken-queue')).statusCode, 404);
  });

  it('refuses an endless loop that never waits for the caller', async () => {
    const flow: FlowBody = {
      name: 'spin', language: 'en', start: 'a',
      steps: {
        a: { type: 'play', prompt: [{ sound: 'beep' }], next: 'b' },
        b: { type: 'set', attrs: { topic: 'x' }, next: 'a' },
      },
    };
    const res = await h.api('POST', '/api/v1/ivr/flows', flow);
    assert.equal(res.statusCode, 422, res.body);
    assert.ok(problemsOf(res.body).some((p) => p.code === 'endless-loop'), res.body);
  });

  it('refuses a step nothing leads to', async () => {
    const flow = menuFlow('orphan');
    flow.steps.lost = { type: 'hangup' };
    const res = await h.api('POST', '/api/v1/ivr/flows', flow);
    assert.equal(res.statusCode, 422);
    assert.deepEqual(problemsOf(res.body).map((p) => [p.step, p.code]), [['lost', 'unreachable-step']]);
  });

  it('refuses a body that does not match the schema, naming the step and the field', async () => {
    const flow = menuFlow('bad-shape') as unknown as { steps: Record<string, Record<string, unknown>> };
    flow.steps.menu!.timeoutSec = 'soon';
    flow.steps.support!.colour = 'red';
    const res = await h.api('POST', '/api/v1/ivr/flows', flow);
    assert.equal(res.statusCode, 422, res.body);
    const problems = problemsOf(res.body);
    assert.ok(problems.some((p) => p.step === 'menu' && /timeoutSec/.test(p.message)), res.body);
    assert.ok(problems.some((p) => p.step === 'support'), res.body);
  });

  it('saves a new version on each update, and refuses a save over someone else\'s', async () => {
    const flow = menuFlow('sales');
    flow.description = 'second';
    const second = await h.api('PUT', '/api/v1/ivr/flows/sales', flow);
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.json().version, 2);
    const third = await h.api('PUT', '/api/v1/ivr/flows/sales?version=2', { ...flow, description: 'third' });
    assert.equal(third.json().version, 3);
    const stale = await h.api('PUT', '/api/v1/ivr/flows/sales?version=2', { ...flow, description: 'lost' });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'flow-version-conflict');
    assert.equal((await h.api('GET', '/api/v1/ivr/flows/sales')).json().description, 'third');
  });

  it('refuses to rename a flow through an update', async () => {
    const res = await h.api('PUT', '/api/v1/ivr/flows/sales', menuFlow('sales-renamed'));
    assert.equal(res.statusCode, 422);
    assert.equal(problemsOf(res.body)[0]?.code, 'rename');
  });

  it('refuses to delete a flow while a DID uses it, and deletes it once the DID moves', async () => {
    const routed = await h.api('PUT', '/api/v1/dids/5559001', { flow: 'sales' });
    assert.equal(routed.statusCode, 200, routed.body);
    assert.deepEqual(routed.json(), { number: '5559001', flow: 'sales', queue: null, recording: true, consentPrompt: null, consentPromptName: null, consentOptOutKey: null });
    const refused = await h.api('DELETE', '/api/v1/ivr/flows/sales');
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'flow-in-use');
    assert.match(refused.json().error.message, /DID 5559001/);

    assert.deepEqual((await h.api('PUT', '/api/v1/dids/5559001', { queue: 'billing' })).json(), { number: '5559001', flow: null, queue: 'billing', recording: true, consentPrompt: null, consentPromptName: null, consentOptOutKey: null });
    assert.equal((await h.api('DELETE', '/api/v1/ivr/flows/sales')).statusCode, 204);
    assert.equal((await h.api('GET', '/api/v1/ivr/flows/sales')).statusCode, 404);
  });

  it('deletes without a CSRF token, since no form can send a DELETE', async () => {
    assert.equal((await h.api('POST', '/api/v1/ivr/flows', menuFlow('short-lived'))).statusCode, 201);
    const res = await h.app.inject({ method: 'DELETE', url: '/api/v1/ivr/flows/short-lived', headers: { cookie: h.cookie } });
    assert.equal(res.statusCode, 204);
  });

  it('refuses to delete a flow another flow jumps to', async () => {
    assert.equal((await h.api('POST', '/api/v1/ivr/flows', menuFlow('inner'))).statusCode, 201);
    const outer: FlowBody = { name: 'outer', language: 'en', start: 'go', steps: { go: { type: 'flow', flow: 'inner' } } };
    assert.equal((await h.api('POST', '/api/v1/ivr/flows', outer)).statusCode, 201);
    const res = await h.api('DELETE', '/api/v1/ivr/flows/inner');
    assert.equal(res.statusCode, 409);
    assert.match(res.json().error.message, /flow outer/);
  });

  it('refuses a DID route to nothing, to both, or to a missing flow', async () => {
    for (const body of [{}, { flow: 'main', queue: 'support' }, { flow: 'nope' }, { queue: 'nope' }]) {
      const res = await h.api('PUT', '/api/v1/dids/5559002', body);
      assert.equal(res.statusCode, 422, JSON.stringify(body));
      assert.equal(res.json().error.code, 'invalid-did-route');
    }
  });

  it('lets only admins in: 401 for strangers, 403 for supervisors', async () => {
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/v1/ivr/flows' })).statusCode, 401);
    const supervisor = await h.signInAs('supervisor');
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/ivr/flows', headers: { cookie: supervisor } });
    assert.equal(res.statusCode, 403);
  });

  it('refuses a form-encoded write without a CSRF token', async () => {
    const res = await h.app.inject({
      method: 'POST', url: '/api/v1/ivr/flows',
      headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1',
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'csrf-token-invalid');
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    for (const path of ['/api/v1/ivr/flows', '/api/v1/ivr/flows/{name}', '/api/v1/ivr/prompts/tts', '/api/v1/dids/{number}', '/api/v1/queues/{name}', '/api/v1/agents/{id}/skills']) {
      assert.ok(doc.paths[path], path);
    }
  });
});
