// Skills routing with real callers and real desk phones: best skill, ring no answer,
// abandon, VIP head start, overflow to a second queue.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { testConfig, seededDatabase, TEST_REDIS_DB } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { putFlow, routeDidToFlow, patchQueue, setSkills } from '../../support/routing-setup.js';
import { createDb } from '../../../server/core/db.js';
import { apiSession } from '../../support/api.js';

const config = testConfig();
const db = createDb(config);
const redis = new Redis({ host: config.redis.host, port: config.redis.port, db: TEST_REDIS_DB });
const [p1, p2, p3] = config.phones as [typeof config.phones[0], typeof config.phones[0], typeof config.phones[0]];
const VIP_DID = '5553001';
const SALES_DID = '5554000';
const phones: ChildProcess[] = [];
const ids: Record<string, number> = {};
let server: ServerHandle;

const ended = (caller: string) => waitFor(`interaction of ${caller} ended`, async () => {
  const r = await db('interactions').where({ caller_number: caller }).first();
  return r?.ended_at ? r : undefined;
}, 60000);
const events = (id: string) => db('call_events').where({ interaction_id: id }).orderBy('seq');
const phone = async (p: typeof p1, mode: 'answer' | 'ring') => {
  const port = freshPort() + 34000;
  phones.push(startPhone(port, mode));
  await registerPhone({ extension: p.extension, password: p.password, contactPort: port });
  return port;
};

describe('skills routing on real Asterisk', { timeout: 400000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await patchQueue(db, config.demo.queue, { strategy: 'best_skill', ringTimeoutSec: 5, maxMisses: 1, announceEverySec: 0 });
    await db('queues').insert({ name: 'sales', ring_timeout_s: 10, wrap_up_s: 0, config: JSON.stringify({
      skill: 'sales', minLevel: 1, strategy: 'longest_idle', ringTimeoutSec: 10, wrapUpSec: 0, maxMisses: 2, announceEverySec: 0, serviceLevelSec: 20,
      overflow: [{ afterSec: 6, action: { type: 'also_queue', queue: 'billing' } }], priority: {},
    }) });
    await putFlow(db, 'vip', { start: 'mark', steps: { mark: { type: 'set', attrs: { vip: 'true' }, next: 'q' }, q: { type: 'queue', queue: config.demo.queue } } });
    await putFlow(db, 'sales', { start: 'q', steps: { q: { type: 'queue', queue: 'sales' } } });
    await routeDidToFlow(db, VIP_DID, 'vip');
    await routeDidToFlow(db, SALES_DID, 'sales');
    ids.a1 = await setSkills(db, p1.extension, { support: 3 });
    ids.a2 = await setSkills(db, p2.extension, { support: 5 });
    ids.a3 = await setSkills(db, p3.extension, { billing: 2 });
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([p1.extension, p2.extension, p3.extension]) });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
  });

  after(async () => {
    for (const p of phones) p.kill();
    await server?.stop();
    await db.destroy();
    redis.disconnect();
  });

  it('best skill offers the level 5 agent first; when it rings out, the next agent answers and the first is paused for no answer', async () => {
    await phone(p2, 'ring');
    await phone(p1, 'answer');
    const caller = `86160${Date.now() % 1000000}`;
    const res = await carrierCall({ did: config.demo.did, caller, talkMs: 16000 });
    assert.equal(res.code, 0, res.stderr.slice(-300));
    const row = await ended(caller);
    assert.equal(row.outcome, 'answered');
    assert.equal(row.agent_id, ids.a1);
    const evs = (await events(row.id)).map((e: any) => `${e.type}${e.agent_id ? `@${e.agent_id}` : ''}`);
    assert.deepEqual(evs, ['enter', 'greeting', 'enter-queue', `offer@${ids.a2}`, `ring-no-answer@${ids.a2}`, `offer@${ids.a1}`, `connect@${ids.a1}`, `complete@${ids.a1}`]);
    const a2 = await redis.hgetall(`cc:agent:${ids.a2}`);
    assert.equal(a2.state, 'paused');
    assert.equal(a2.pauseReason, 'no-answer');
  });

  it('a caller who hangs up while waiting is an abandon, with the wait recorded', async () => {
    const caller = `86161${Date.now() % 1000000}`;
    await carrierCall({ did: SALES_DID, caller, talkMs: 0, steps: [{ pauseMs: 3000 }] });
    const row = await ended(caller);
    assert.equal(row.outcome, 'abandoned');
    assert.equal(row.queue, 'sales');
    assert.ok(row.wait_ms >= 1500 && row.wait_ms < 6000, `wait ${row.wait_ms} ms`);
    const last = (await events(row.id)).at(-1);
    assert.equal(last.type, 'abandon');
    const data = typeof last.data === 'string' ? JSON.parse(last.data) : last.data;
    assert.equal(data.waitMs, row.wait_ms);
    assert.equal(data.position, 1, 'the only caller in sales was first in line');
  });

  it('after 6 s in sales the caller is also offered to billing, keeping its place, and the billing agent answers', async () => {
    await phone(p3, 'answer');
    const caller = `86162${Date.now() % 1000000}`;
    await carrierCall({ did: SALES_DID, caller, talkMs: 0, steps: [{ pauseMs: 14000 }] });
    const row = await ended(caller);
    assert.equal(row.outcome, 'answered');
    assert.equal(row.agent_id, ids.a3);
    assert.equal(row.queue, 'billing');
    assert.ok(row.wait_ms >= 6000, `answered after ${row.wait_ms} ms, not before the overflow stage`);
    const types = (await events(row.id)).map((e: any) => `${e.type}:${e.queue}`);
    assert.deepEqual(types.slice(-4), ['overflow:sales', 'offer:billing', 'connect:billing', 'complete:billing']);
  });

  it('a VIP who arrives later is offered first when an agent frees up', async () => {
    // Nobody free for support: agent 1 pauses, agent 2 is paused already (first test).
    const api = await apiSession(config.demo.adminUser, 'test-admin-password');
    const pause = await api('POST', `/api/v1/agents/${ids.a1}/state`, { state: 'paused', reason: 'break' });
    assert.equal(pause.status, 200, await pause.text());
    const normal = `86163${Date.now() % 1000000}`;
    const vip = `86164${Date.now() % 1000000}`;
    const first = carrierCall({ did: config.demo.did, caller: normal, talkMs: 30000 });
    await new Promise((r) => setTimeout(r, 4000));
    const second = carrierCall({ did: VIP_DID, caller: vip, talkMs: 8000 });
    await waitFor('both waiting', async () => (await db('interactions').whereIn('caller_number', [normal, vip]).whereNotNull('queued_at')).length === 2, 20000);
    // The agent becomes ready through the API the desk will use.
    const ready = await api('POST', `/api/v1/agents/${ids.a1}/state`, { state: 'ready' });
    assert.equal(ready.status, 200, await ready.text());
    await Promise.all([first, second]);
    const [n, v] = [await ended(normal), await ended(vip)];
    assert.equal(v.outcome, 'answered');
    assert.equal(n.outcome, 'answered');
    assert.ok(v.answered_at < n.answered_at, 'the VIP was answered first although it arrived 4 s later');
  });
});
