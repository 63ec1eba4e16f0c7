import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { keys } from '../../../server/live/keys.js';
import { RoutingStore, type Reservation } from '../../../server/acd/routing/routing-store.js';
import { readyScore } from '../../../server/acd/routing/strategy.js';

// Redis db 5 belongs to the routing tests and benchmark alone; each test starts from empty.
const DB = 5;
const T0 = Date.parse('2025-03-03T09:00:00Z');
let redis: Redis;
let store: RoutingStore;

/** What the agents room does when an agent turns ready: the hash first, routing after. */
async function readyAgent(id: number, memberships: Array<{ queue: string; level: number; score?: number }>, idleSinceMs = T0): Promise<void> {
  await redis.hset(keys.agent(id), 'state', 'ready', 'since', new Date(idleSinceMs).toISOString(), 'pauseReason', '', 'interactionId', '');
  await redis.sadd(keys.agentsReady(), String(id));
  const ok = await store.agentReady(id, memberships.map((m) => ({ ...m, score: m.score ?? idleSinceMs })));
  assert.ok(ok);
}

describe('routing store against Redis', () => {
  before(async () => {
    redis = new Redis({ host: '127.0.0.1', port: 6379, db: DB, maxRetriesPerRequest: 1 });
    store = new RoutingStore(redis);
  });
  beforeEach(async () => {
    await redis.flushdb();
  });
  after(async () => {
    await redis.flushdb();
    redis.disconnect();
  });

  it('given an agent with level 2 and one with level 5, best_skill offers the level 5 agent', async () => {
    await readyAgent(1, [{ queue: 'sales', level: 2 }], T0 - 60_000);
    await readyAgent(2, [{ queue: 'sales', level: 5 }], T0);
    await store.enqueue('c1', 'sales', T0, 1);
    const r = await store.pickForQueue('sales', 'best_skill');
    assert.deepEqual(r, { callId: 'c1', agentId: 2, queue: 'sales', score: T0 });
  });

  it('longest idle offers the agent idle the longest, whatever its level', async () => {
    await readyAgent(1, [{ queue: 'sales', level: 5 }], T0);
    await readyAgent(2, [{ queue: 'sales', level: 1 }], T0 - 1000);
    await store.enqueue('c1', 'sales', T0, 1);
    assert.equal((await store.pickForQueue('sales', 'longest_idle'))?.agentId, 2);
  });

  it('fewest calls offers the agent with fewer calls today before one idle longer', async () => {
    const score = (callsToday: number, idleSinceMs: number) => readyScore('fewest_calls', { callsToday, idleSinceMs, lastOfferSeq: 0 });
    await readyAgent(1, [{ queue: 'sales', level: 3, score: score(4, T0 - 600_000) }]);
    await readyAgent(2, [{ queue: 'sales', level: 3, score: score(1, T0) }]);
    await store.enqueue('c1', 'sales', T0, 1);
    assert.equal((await store.pickForQueue('sales', 'fewest_calls'))?.agentId, 2);
  });

  it('round robin rotates through the agents', async () => {
    const agents = [1, 2, 3];
    const offered: number[] = [];
    for (const id of agents) await readyAgent(id, [{ queue: 'rr', level: 3, score: 0 }]);
    for (let i = 0; i < 6; i++) {
      await store.enqueue(`c${i}`, 'rr', T0 + i, 1);
      const r = await store.pickForQueue('rr', 'round_robin');
      assert.ok(r);
      offered.push(r.agentId);
      // The call ends: the agent comes back ranked by the counter of its last offer.
      const seq = (await store.lastOfferSeqs(r.agentId, ['rr'])).get('rr') ?? 0;
      await store.remove(r.callId);
      await readyAgent(r.agentId, [{ queue: 'rr', level: 3, score: readyScore('round_robin', { idleSinceMs: T0, callsToday: 0, lastOfferSeq: seq }) }]);
    }
    assert.deepEqual(offered, [1, 2, 3, 1, 2, 3]);
  });

  it('overflow after 20 s offers the caller to the second queue keeping its place', async () => {
    await store.enqueue('early', 'first', T0, 1);
    await store.enqueue('newer', 'second', T0 + 15_000, 1);
    assert.equal(await store.alsoQueue('early', 'second'), true);
    assert.equal(await store.position('early', 'second'), 1, 'ahead of the newer caller of that queue');
    await readyAgent(7, [{ queue: 'second', level: 3 }]);
    const r = await store.pickForAgent(7, ['second']);
    assert.deepEqual(r, { callId: 'early', agentId: 7, queue: 'second', score: T0 });
    assert.equal(await store.waitingCount('first'), 0, 'taken: it left the first queue too');
    assert.equal(await store.position('newer', 'second'), 1);
  });

  it('an agent turning ready takes the oldest call it may serve across its queues', async () => {
    await store.enqueue('sales-new', 'sales', T0 + 9000, 1);
    await store.enqueue('support-old', 'support', T0, 1);
    await store.enqueue('billing-oldest', 'billing', T0 - 9000, 1);
    await store.enqueue('tech-strict', 'tech', T0 - 20_000, 5);
    await readyAgent(3, [{ queue: 'sales', level: 2 }, { queue: 'support', level: 2 }, { queue: 'tech', level: 2 }]);
    const r = await store.pickForAgent(3, ['sales', 'support', 'tech', 'billing']);
    assert.equal(r?.callId, 'support-old', 'not billing (not ready there), not tech (needs level 5)');
    assert.equal(r?.queue, 'support');
  });

  it('widening lets a level-2 agent take a call that required level 4', async () => {
    await readyAgent(1, [{ queue: 'tech', level: 2 }]);
    await store.enqueue('c1', 'tech', T0, 4);
    assert.equal(await store.pickForQueue('tech', 'longest_idle'), undefined);
    assert.equal(await store.pickForAgent(1, ['tech']), undefined);
    assert.equal(await store.setMinLevel('c1', 2), true);
    assert.equal((await store.pickForQueue('tech', 'longest_idle'))?.callId, 'c1');
  });

  it('setting a higher minimum level later never narrows a widened caller', async () => {
    await readyAgent(1, [{ queue: 'tech', level: 2 }]);
    await store.enqueue('c1', 'tech', T0, 4);
    assert.equal(await store.setMinLevel('c1', 2), true);
    assert.equal(await store.setMinLevel('c1', 3), true, 'the call is known');
    assert.equal(await redis.hget(keys.routingCall('c1'), 'minLevel'), '2');
    assert.equal((await store.pickForQueue('tech', 'longest_idle'))?.callId, 'c1');
  });

  it('a head caller no agent can serve does not block a widened caller behind it', async () => {
    await readyAgent(1, [{ queue: 'tech', level: 2 }]);
    await store.enqueue('strict', 'tech', T0, 5);
    await store.enqueue('widened', 'tech', T0 + 1000, 2);
    assert.equal((await store.pickForQueue('tech', 'best_skill'))?.callId, 'widened');
    assert.equal(await store.position('strict', 'tech'), 1);
  });

  it('an agent already reserved is never picked, and its stale entry is cleaned', async () => {
    await readyAgent(1, [{ queue: 'sales', level: 3 }]);
    await redis.hset(keys.agent(1), 'state', 'reserved', 'interactionId', 'elsewhere');
    await store.enqueue('c1', 'sales', T0, 1);
    assert.equal(await store.pickForQueue('sales', 'longest_idle'), undefined);
    assert.equal(await store.pickForAgent(1, ['sales']), undefined);
    assert.equal(await store.readyCount('sales'), 0);
    assert.equal(await redis.hget(keys.agent(1), 'interactionId'), 'elsewhere');
  });

  it('an agent who left ready without telling routing is passed over for the next longest idle', async () => {
    await readyAgent(1, [{ queue: 'sales', level: 3 }], T0 - 5000);
    await readyAgent(2, [{ queue: 'sales', level: 3 }], T0 - 3000);
    await readyAgent(3, [{ queue: 'sales', level: 4 }], T0 - 4000);
    await redis.hset(keys.agent(1), 'state', 'paused');
    await store.enqueue('c1', 'sales', T0, 1);
    assert.equal((await store.pickForQueue('sales', 'longest_idle'))?.agentId, 3);
    assert.equal(await redis.exists(keys.routingAgent(1)), 0, 'the stale agent was cleaned from routing');
    assert.equal(await store.readyCount('sales'), 1);
  });

  it('an agent whose desk phone is in use is skipped but stays ready', async () => {
    await redis.hset(keys.device('PJSIP/201'), 'registered', '1', 'deviceState', 'INUSE');
    await redis.hset(keys.agent(1), 'state', 'ready', 'since', new Date(T0).toISOString());
    assert.ok(await store.agentReady(1, [{ queue: 'sales', level: 3, score: T0 }], keys.device('PJSIP/201')));
    await store.enqueue('c1', 'sales', T0, 1);
    assert.equal(await store.pickForQueue('sales', 'longest_idle'), undefined);
    assert.equal(await store.readyCount('sales'), 1);
    await redis.hset(keys.device('PJSIP/201'), 'deviceState', 'NOT_INUSE');
    assert.equal((await store.pickForQueue('sales', 'longest_idle'))?.agentId, 1);
  });

  it('routing refuses an agent the agent hash does not show as ready', async () => {
    await redis.hset(keys.agent(1), 'state', 'paused');
    assert.equal(await store.agentReady(1, [{ queue: 'sales', level: 3, score: T0 }]), false);
    assert.equal(await store.readyCount('sales'), 0);
  });

  it('a pick reserves the agent like the agents room expects and takes it out of every queue', async () => {
    await readyAgent(1, [{ queue: 'sales', level: 3 }, { queue: 'support', level: 1 }]);
    await store.enqueue('c1', 'support', T0, 1);
    await store.pickForQueue('support', 'longest_idle');
    const agent = await redis.hgetall(keys.agent(1));
    assert.equal(agent.state, 'reserved');
    assert.equal(agent.interactionId, 'c1');
    assert.ok(Date.parse(agent.since ?? '') > T0);
    assert.equal(await redis.sismember(keys.agentsReady(), '1'), 0);
    assert.equal((await store.readyCount('sales')) + (await store.readyCount('support')), 0);
  });

  it('a missed offer puts the call back in all its queues at its old place', async () => {
    await store.enqueue('c1', 'first', T0, 1);
    await store.alsoQueue('c1', 'second');
    await store.enqueue('c2', 'first', T0 + 5000, 1);
    await readyAgent(1, [{ queue: 'first', level: 1 }]);
    assert.equal((await store.pickForQueue('first', 'longest_idle'))?.callId, 'c1');
    await store.alsoQueue('c1', 'third');
    assert.equal(await store.waitingCount('third'), 0, 'on offer: the stage is only recorded');
    assert.equal(await store.requeue('c1'), true);
    for (const q of ['first', 'second', 'third']) assert.equal(await store.position('c1', q), 1, q);
  });

  it('remove() takes the call out of every queue', async () => {
    await store.enqueue('c1', 'first', T0, 1);
    await store.alsoQueue('c1', 'second');
    await store.alsoQueue('c1', 'third');
    assert.equal(await store.remove('c1'), true);
    for (const q of ['first', 'second', 'third']) assert.equal(await store.waitingCount(q), 0);
    assert.equal(await redis.exists(keys.routingCall('c1')), 0);
    assert.equal(await store.alsoQueue('c1', 'fourth'), false, 'a removed call cannot come back by overflow');
    assert.equal(await store.remove('c1'), false);
  });

  it('agentNotReady takes the agent out of every ready set', async () => {
    await readyAgent(1, [{ queue: 'a', level: 1 }, { queue: 'b', level: 5 }]);
    await store.agentNotReady(1);
    assert.equal((await store.readyCount('a')) + (await store.readyCount('b')), 0);
  });

  it('two concurrent pickers never give one agent two calls or one call two agents', async () => {
    const queues = ['q0', 'q1', 'q2'];
    for (let id = 1; id <= 30; id++) await readyAgent(id, queues.map((queue, i) => ({ queue, level: ((id + i) % 5) + 1 })), T0 + id);
    for (let c = 0; c < 60; c++) {
      // Level 1 so that every agent can take every call: all 30 must end up reserved.
      await store.enqueue(`c${c}`, queues[c % 3] as string, T0 + c, 1);
      if (c % 4 === 0) await store.alsoQueue(`c${c}`, queues[(c + 1) % 3] as string);
    }
    const other = new Redis({ host: '127.0.0.1', port: 6379, db: DB });
    try {
      const stores = [store, new RoutingStore(other)];
      const attempts: Array<Promise<Reservation | undefined>> = [];
      for (let i = 0; i < 200; i++) {
        const s = stores[i % 2] as RoutingStore;
        attempts.push(i % 3 === 0 ? s.pickForAgent((i % 30) + 1, queues) : s.pickForQueue(queues[i % 3] as string, 'best_skill'));
      }
      const got = (await Promise.all(attempts)).filter((r): r is Reservation => r !== undefined);
      assert.equal(new Set(got.map((r) => r.agentId)).size, got.length, 'no agent twice');
      assert.equal(new Set(got.map((r) => r.callId)).size, got.length, 'no call twice');
      assert.equal(got.length, 30, 'every agent got exactly one call');
      for (const r of got) assert.equal(await redis.hget(keys.agent(r.agentId), 'interactionId'), r.callId);
      const stillWaiting = new Set((await Promise.all(queues.map((q) => redis.zrange(keys.queueWaiting(q), 0, '-1')))).flat());
      assert.equal(stillWaiting.size, 30, 'the other 30 calls still wait');
      for (const r of got) assert.ok(!stillWaiting.has(r.callId), r.callId);
    } finally {
      other.disconnect();
    }
  });
});
