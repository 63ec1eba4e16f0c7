// Admin edits of skills and queues reach agents who are already ready, at once: the
// REST call's reply means the Redis ready sets already say who may take what.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';
import { keys } from '../../../server/live/keys.js';
import { LEVELS } from '../../../server/acd/routing/routing-store.js';
import { readyScore } from '../../../server/acd/routing/strategy.js';
import { RoutingResync, wireRoutingResync } from '../../../server/acd/routing-resync.js';
import type { RoutingChange } from '../../../server/acd/queues-plugin.js';

let h: Harness;
let ids: number[] = [];

const agentId = async (number: string): Promise<number> => (await h.app.db('agents').where({ number }).first('id')).id;
const routing = () => h.app.acd.deps.routing;

/** Ready as the agent desk makes it, then synced as the Stasis owner does on the agents bus. */
async function makeReady(id: number): Promise<void> {
  const agent = await h.app.agents.get(id);
  // Registered and idle, or the pick would step over the agent.
  await h.app.redis.hset(keys.device(`PJSIP/${agent.extension}`), 'registered', '1', 'deviceState', 'NOT_INUSE');
  assert.ok(await h.app.agents.move(id, 'logged_out', 'ready'));
  assert.ok(await h.app.acd.deps.agentRouting.sync(id));
}

/** level -> agents of the queue's ready sets. */
async function readySets(queue: string): Promise<Record<number, number[]>> {
  const out: Record<number, number[]> = {};
  for (const l of LEVELS) {
    const members = (await h.app.redis.zrange(keys.queueReadyAtLevel(queue, l), '0', '-1')).map(Number);
    if (members.length) out[l] = members.sort();
  }
  return out;
}

/** A caller waiting in `queue`, as the ACD leaves it after enqueue. */
async function waitingCall(id: string, queue: string, minLevel: number): Promise<void> {
  const now = new Date().toISOString();
  await h.app.acd.deps.live.save({
    id, state: 'waiting', callerChannel: `chan-${id}`, callerChannelName: `PJSIP/carrier-${id}`, callerNumber: '5550100',
    did: '5551000', queue, enteredAt: now, queuedAt: now, score: Date.now(), minLevel,
  });
  await routing().enqueue(id, queue, Date.now(), minLevel);
}

async function putSkills(id: number, skills: Record<string, number>): Promise<void> {
  const res = await h.api('PUT', `/api/v1/agents/${id}/skills`, skills);
  assert.equal(res.statusCode, 200, res.body);
}

async function putQueue(name: string, patch: Record<string, unknown>): Promise<void> {
  const current = (await h.api('GET', `/api/v1/queues/${name}`)).json() as Record<string, unknown>;
  delete current.id;
  delete current.updatedAt;
  const res = await h.api('PUT', `/api/v1/queues/${name}`, { ...current, ...patch });
  assert.equal(res.statusCode, 200, res.body);
}

describe('skill and queue edits reach ready agents at once', () => {
  before(async () => {
    h = await routingHarness();
    assert.ok(h.config.phones.length >= 4, 'the installed config has at least four desk phones');
    ids = await Promise.all(h.config.phones.slice(0, 4).map((p) => agentId(p.extension)));
  });

  beforeEach(async () => {
    // Every test starts with everyone logged out, the demo skills and queues, no calls.
    for (const id of ids) {
      const cur = await h.app.agents.liveState(id);
      if (cur.state !== 'logged_out') await h.app.agents.move(id, cur.state, 'logged_out');
      await routing().agentNotReady(id);
    }
    for (const [i, id] of ids.entries()) await putSkills(id, i < 2 ? { support: 3, billing: 2 } : { support: 3 });
    await putQueue('billing', { skill: 'billing', minLevel: 1, strategy: 'longest_idle' });
    await putQueue('support', { skill: 'support', minLevel: 1, strategy: 'longest_idle' });
    for (const id of await h.app.acd.deps.live.activeIds()) {
      await routing().remove(id);
      await h.app.redis.del(keys.call(id));
      await h.app.redis.srem(keys.callsActive(), id);
    }
  });

  after(async () => {
    await h?.close();
  });

  it('given a ready agent, a newly granted skill offers it that queue\'s waiting call without a pause', async () => {
    const a3 = ids[2] as number;
    await makeReady(a3);
    assert.deepEqual(await readySets('billing'), {});
    await waitingCall('c-new-skill', 'billing', 1);
    assert.equal(await routing().pickForQueue('billing', 'longest_idle'), undefined, 'nobody may take billing calls yet');

    await putSkills(a3, { support: 3, billing: 4 });

    assert.deepEqual(await readySets('billing'), { 4: [a3] });
    const r = await routing().pickForQueue('billing', 'longest_idle');
    assert.equal(r?.agentId, a3);
    assert.equal(r?.callId, 'c-new-skill');
  });

  it('a removed skill takes the ready agent out of that queue: its calls are no longer offered to it', async () => {
    const a3 = ids[2] as number;
    await makeReady(a3);
    assert.deepEqual(await readySets('support'), { 3: [a3] });

    await putSkills(a3, { billing: 1 });

    assert.deepEqual(await readySets('support'), {});
    assert.deepEqual(await readySets('billing'), { 1: [a3] });
    await waitingCall('c-removed', 'support', 1);
    assert.equal(await routing().pickForQueue('support', 'longest_idle'), undefined);
    assert.equal((await routing().pickForAgent(a3, ['support', 'billing'])), undefined);
  });

  it('a changed level moves the ready agent to that level\'s set', async () => {
    const a1 = ids[0] as number;
    await makeReady(a1);
    assert.deepEqual(await readySets('billing'), { 2: [a1] });
    await putSkills(a1, { support: 3, billing: 5 });
    assert.deepEqual(await readySets('billing'), { 5: [a1] });
  });

  it('a skill edit does not make a paused agent offerable', async () => {
    const a4 = ids[3] as number;
    assert.ok(await h.app.agents.move(a4, 'logged_out', 'paused', { pauseReason: 'break' }));
    await putSkills(a4, { support: 3, billing: 5 });
    assert.deepEqual(await readySets('billing'), {});
    assert.deepEqual(await readySets('support'), {});
  });

  it('a queue whose skill changes swaps its ready agents for the holders of the new skill', async () => {
    const [a1, , a3] = ids as [number, number, number];
    await makeReady(a1);
    await makeReady(a3);
    assert.deepEqual(await readySets('billing'), { 2: [a1] });

    await putQueue('billing', { skill: 'support' });
    assert.deepEqual(await readySets('billing'), { 3: [a1, a3].sort() });

    await putQueue('billing', { skill: 'nobody-has-this' });
    assert.deepEqual(await readySets('billing'), {});
    // Their other queue is untouched.
    assert.deepEqual(await readySets('support'), { 3: [a1, a3].sort() });
  });

  it('a lowered minimum level reaches callers already waiting; a raised one does not narrow them', async () => {
    const a1 = ids[0] as number;
    await putQueue('billing', { minLevel: 3 });
    await makeReady(a1);
    await waitingCall('c-level', 'billing', 3);
    assert.equal(await routing().pickForQueue('billing', 'longest_idle'), undefined, 'a level 2 agent cannot take a level 3 call');

    await putQueue('billing', { minLevel: 2 });
    assert.equal(await h.app.redis.hget(keys.routingCall('c-level'), 'minLevel'), '2');
    assert.equal((await h.app.acd.deps.live.get('c-level'))?.minLevel, 2);

    await putQueue('billing', { minLevel: 4 });
    assert.equal(await h.app.redis.hget(keys.routingCall('c-level'), 'minLevel'), '2', 'the waiting caller keeps the agents it had');
    assert.equal((await routing().pickForQueue('billing', 'longest_idle'))?.agentId, a1);
  });

  it('a strategy change re-scores the queue\'s ready agents in the new strategy\'s terms', async () => {
    const a1 = ids[0] as number;
    await makeReady(a1);
    const since = Date.parse((await h.app.agents.liveState(a1)).since);
    assert.equal(Number(await h.app.redis.zscore(keys.queueReadyAtLevel('billing', 2), String(a1))), since);
    await putQueue('billing', { strategy: 'round_robin' });
    const lastOfferSeq = (await routing().lastOfferSeqs(a1, ['billing'])).get('billing') ?? 0;
    const expected = readyScore('round_robin', { idleSinceMs: since, callsToday: 0, lastOfferSeq });
    assert.notEqual(expected, since);
    assert.equal(Number(await h.app.redis.zscore(keys.queueReadyAtLevel('billing', 2), String(a1))), expected);
  });

  it('the Stasis owner re-syncs and offers when another instance saved the edit', async () => {
    const a3 = ids[2] as number;
    await makeReady(a3);
    const d = h.app.acd.deps;
    const matched: RoutingChange[] = [];
    // This instance plays the owner: its own listener is never called, the edit comes over the bus.
    await wireRoutingResync({
      resync: new RoutingResync({ ...d, holdersOf: async (skill) => (await h.app.queues.skillHolders(skill)).map((x) => x.agentId) }),
      queues: d.queues, bus: h.app.live, log: d.log, onChange: () => undefined, isStasisOwner: () => true,
      match: async (c) => void matched.push(c),
    });
    // Another instance committed the skill and told the bus; here nothing was re-synced yet.
    await h.app.db('agent_skills').insert({ agent_id: a3, skill: 'billing', level: 4 });
    await h.app.live.publish('routing', { kind: 'skills', agentId: a3, origin: 'another-instance' });
    for (let i = 0; i < 50 && !matched.length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(matched, [{ kind: 'skills', agentId: a3 }]);
    assert.deepEqual(await readySets('billing'), { 4: [a3] });
  });

  it('a new queue takes ready holders of its skill; deleting it takes them out', async () => {
    const [a1, a2] = ids as [number, number];
    await makeReady(a1);
    await makeReady(a2);
    const res = await h.api('POST', '/api/v1/queues', { name: 'resync-temp', skill: 'billing', minLevel: 1, strategy: 'longest_idle' });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(await readySets('resync-temp'), { 2: [a1, a2].sort() });

    assert.equal((await h.api('DELETE', '/api/v1/queues/resync-temp')).statusCode, 204);
    assert.deepEqual(await readySets('resync-temp'), {});
    assert.equal(await h.app.redis.hget(keys.routingAgent(a1), 'q:resync-temp'), null);
    assert.deepEqual(await readySets('billing'), { 2: [a1, a2].sort() });
  });
});
