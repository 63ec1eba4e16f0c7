import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;

interface Member {
  agentId: number;
  number: string;
  level: number;
}

const agentId = async (number: string): Promise<number> => (await h.app.db('agents').where({ number }).first('id')).id;
/** Who the running ACD offers this queue's calls to (it reads queue_agents). */
const acdMembers = async (queue: string) => (await h.app.agents.inQueue(queue)).map((a) => a.number).sort();
const members = async (queue: string) => ((await h.api('GET', `/api/v1/queues/${queue}/agents`)).json() as Member[]).map((m) => [m.number, m.level]);
const problems = (body: string) => (JSON.parse(body) as { error: { details: { problems: Array<{ path: string; code: string }> } } }).error.details.problems;

const sales = { name: 'sales', skill: 'sales', minLevel: 2, strategy: 'best_skill', ringTimeoutSec: 20, wrapUpSec: 10 };

describe('queues and agent skills over /api/v1', () => {
  before(async () => {
    h = await routingHarness();
    // The demo seed names its agents after the configured desk phones; these tests need four.
    assert.ok(h.config.phones.length >= 4, 'the installed config has at least four desk phones');
  });

  after(async () => {
    await h?.close();
  });

  it('seeds support (every agent, level 3) and billing (the first two agents, level 2)', async () => {
    const [p1, p2, p3, p4] = h.config.phones.map((p) => p.extension);
    assert.deepEqual(await members('support'), [[p1, 3], [p2, 3], [p3, 3], [p4, 3]]);
    assert.deepEqual(await members('billing'), [[p1, 2], [p2, 2]]);
    assert.deepEqual(await acdMembers('billing'), [p1, p2].sort());
    const support = (await h.api('GET', '/api/v1/queues/support')).json();
    assert.equal(support.skill, 'support');
    assert.equal(support.minLevel, 1);
    assert.equal(support.ringTimeoutSec, h.config.routing.ringTimeoutSec);
  });

  it('creates a queue with the schema defaults, and keeps the ACD\'s columns in step', async () => {
    const res = await h.api('POST', '/api/v1/queues', sales);
    assert.equal(res.statusCode, 201, res.body);
    const q = res.json();
    assert.equal(q.maxMisses, 2);
    assert.equal(q.serviceLevelSec, 20);
    assert.deepEqual(q.overflow, []);
    assert.equal(q.priority.creditSec, 300);
    const row = await h.app.db('queues').where({ name: 'sales' }).first();
    assert.equal(row.ring_timeout_s, 20);
    assert.equal(row.wrap_up_s, 10);
    assert.equal((await h.api('POST', '/api/v1/queues', sales)).json().error.code, 'queue-exists');
  });

  it('refuses a queue that does not match the schema, naming each field', async () => {
    const res = await h.api('POST', '/api/v1/queues', { ...sales, name: 'bad', strategy: 'loudest', minLevel: 9, colour: 'red' });
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.code, 'invalid-queue');
    const paths = problems(res.body).map((p) => p.path);
    for (const path of ['/strategy', '/minLevel', '/colour']) assert.ok(paths.includes(path), `${path} in ${paths.join(' ')}`);
  });

  it('refuses overflow to a missing queue or flow, or back to itself', async () => {
    const res = await h.api('POST', '/api/v1/queues', {
      ...sales, name: 'spill',
      overflow: [
        { afterSec: 30, action: { type: 'also_queue', queue: 'nowhere' } },
        { afterSec: 60, action: { type: 'flow', flow: 'no-flow' } },
        { afterSec: 90, action: { type: 'also_queue', queue: 'spill' } },
      ],
    });
    assert.equal(res.statusCode, 422, res.body);
    assert.deepEqual(problems(res.body).map((p) => [p.path, p.code]), [
      ['/overflow/0/action', 'missing-queue'], ['/overflow/1/action', 'missing-flow'], ['/overflow/2/action', 'self-reference'],
    ]);
  });

  it('gives a queue the agents holding its skill at its minimum level or above, and the ACD follows', async () => {
    const [p1, p2, p3] = h.config.phones.map((p) => p.extension) as [string, string, string];
    for (const [number, skills] of [[p1, { support: 3, sales: 4 }], [p2, { support: 3, sales: 1 }], [p3, { sales: 2 }]] as const) {
      const res = await h.api('PUT', `/api/v1/agents/${await agentId(number)}/skills`, skills);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), skills);
    }
    assert.deepEqual(await members('sales'), [[p1, 4], [p3, 2]]);
    assert.deepEqual(await acdMembers('sales'), [p1, p3].sort());
    assert.ok(!(await acdMembers('support')).includes(p3), 'dropping a skill leaves its queue');
    assert.ok(!(await acdMembers('billing')).includes(p1), 'skills replace, they do not add');

    const raised = await h.api('PUT', '/api/v1/queues/sales', { ...sales, minLevel: 3 });
    assert.equal(raised.statusCode, 200, raised.body);
    assert.deepEqual(await acdMembers('sales'), [p1]);
  });

  it('reads an agent\'s skills back, and refuses bad levels, bad names and unknown agents', async () => {
    const id = await agentId(h.config.phones[0]!.extension);
    assert.deepEqual((await h.api('GET', `/api/v1/agents/${id}/skills`)).json(), { sales: 4, support: 3 });
    for (const bad of [{ sales: 6 }, { sales: 0 }, { Sales: 2 }, { sales: 'high' }]) {
      const res = await h.api('PUT', `/api/v1/agents/${id}/skills`, bad);
      assert.equal(res.statusCode, 422, JSON.stringify(bad));
      assert.equal(res.json().error.code, 'invalid-skills');
    }
    assert.equal((await h.api('GET', '/api/v1/agents/999999/skills')).json().error.code, 'agent-not-found');
    assert.equal((await h.api('PUT', '/api/v1/agents/999999/skills', {})).statusCode, 404);
  });

  it('refuses to rename a queue through an update', async () => {
    const res = await h.api('PUT', '/api/v1/queues/sales', { ...sales, name: 'sales2' });
    assert.equal(res.statusCode, 422);
    assert.equal(problems(res.body)[0]?.path, '/name');
  });

  it('refuses to delete a queue while a DID, a flow or another queue sends calls to it', async () => {
    assert.equal((await h.api('PUT', '/api/v1/dids/5558001', { queue: 'sales' })).statusCode, 200);
    const flow = { name: 'to-sales', language: 'en', start: 'q', steps: { q: { type: 'queue', queue: 'sales' } } };
    assert.equal((await h.api('POST', '/api/v1/ivr/flows', flow)).statusCode, 201);
    const overflow = { ...sales, name: 'sales-eu', overflow: [{ afterSec: 60, action: { type: 'also_queue', queue: 'sales' } }] };
    assert.equal((await h.api('POST', '/api/v1/queues', overflow)).statusCode, 201);

    const refused = await h.api('DELETE', '/api/v1/queues/sales');
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'queue-in-use');
    for (const user of ['DID 5558001', 'flow to-sales', 'queue sales-eu']) assert.match(refused.json().error.message, new RegExp(user));

    assert.equal((await h.api('PUT', '/api/v1/dids/5558001', { queue: 'support' })).statusCode, 200);
    assert.equal((await h.api('DELETE', '/api/v1/ivr/flows/to-sales')).statusCode, 204);
    assert.equal((await h.api('DELETE', '/api/v1/queues/sales-eu')).statusCode, 204);
    assert.equal((await h.api('DELETE', '/api/v1/queues/sales')).statusCode, 204);
    assert.equal((await h.api('GET', '/api/v1/queues/sales')).statusCode, 404);
    assert.equal((await h.app.db('queue_agents').join('queues', 'queues.id', 'queue_agents.queue_id').where('queues.name', 'sales')).length, 0);
  });

  it('refuses to delete a flow a queue overflows to', async () => {
    const flow = { name: 'after-hours', language: 'en', start: 'bye', steps: { bye: { type: 'hangup' } } };
    assert.equal((await h.api('POST', '/api/v1/ivr/flows', flow)).statusCode, 201);
    const q = { ...sales, name: 'late', whenNoAgents: { type: 'flow', flow: 'after-hours' } };
    assert.equal((await h.api('POST', '/api/v1/queues', q)).statusCode, 201, 'a queue may divert to a flow');
    const res = await h.api('DELETE', '/api/v1/ivr/flows/after-hours');
    assert.equal(res.statusCode, 409);
    assert.match(res.json().error.message, /queue late/);
  });

  it('lets only admins change queues', async () => {
    const agent = await h.signInAs('agent');
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/queues', headers: { cookie: agent, 'content-type': 'application/json' }, payload: JSON.stringify(sales) });
    assert.equal(res.statusCode, 403);
  });
});
