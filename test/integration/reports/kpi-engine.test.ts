// The KPI engine against real MariaDB and Redis: the 15-minute summary equals a fold of the
// raw rows, a row that arrives late corrects it, and the wallboard's today agrees with it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { resetDatabase, testConfig } from '../../support/config.js';
import { dayOf, dayKey, foldEvents, KpiRepository, thresholdsOf } from '../../../server/reports/kpi/index.js';
import type { KpiTable } from '../../../server/reports/index.js';

const config = testConfig();
let app: FastifyInstance;
const DAY = '2026-11-10';
/** 10:00 on DAY in the contact center's zone. */
let T0 = 0;
const at = (sec: number) => new Date(T0 + sec * 1000);
let agentId = 0;

type Step = [type: string, sec: number, more?: { agentId?: number; data?: Record<string, unknown> }];

async function call(queue: string, caller: string, steps: Step[], did = '5553001'): Promise<string> {
  const id = randomUUID();
  await app.interactions.open({ id, direction: 'inbound', callerNumber: caller, callerName: null, did, linkedid: null, asteriskSystem: null, enteredAt: at(steps[0]?.[1] ?? 0) });
  for (const [type, sec, more] of steps) {
    await app.interactions.event(id, type as never, { queue, agentId: more?.agentId, data: more?.data, at: at(sec) });
    // As the matcher does: the row says when the call was first answered (repeat calls read it).
    if (type === 'connect') await app.interactions.update(id, { answeredAt: at(sec), agentId: more?.agentId, queue });
  }
  await app.interactions.settled(id);
  return id;
}

let stateSeq = 0;
async function agentState(to: string, sec: number, extra: { from?: string; reason?: string; interactionId?: string } = {}): Promise<void> {
  await app.db('agent_state_log').insert({ agent_id: agentId, seq: ++stateSeq, from_state: extra.from ?? 'ready', to_state: to, reason: extra.reason ?? null, interaction_id: extra.interactionId ?? null, at: at(sec) });
}

const query = (over: Partial<Parameters<FastifyInstance['kpis']['query']>[0]> = {}) => app.kpis.query({ from: DAY, to: DAY, grain: 'day', by: 'queue', ...over });
const rowOf = (t: KpiTable, key: string) => t.rows.find((r) => r.key === key);

describe('the KPI engine on MariaDB', () => {
  before(async () => {
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    await app.queues.create({ name: 'kq', skill: 'kq', strategy: 'longest_idle', priority: {} });
    await app.queues.create({ name: 'kq2', skill: 'kq2', strategy: 'longest_idle', priority: {}, serviceLevelSec: 10 } as never);
    [agentId] = (await app.db('agents').insert({ number: '4001', name: 'Kpi Agent', extension: '4001' })) as [number];
    T0 = dayOf(config.timezone, Date.parse(`${DAY}T12:00:00Z`)).from + 10 * 3_600_000;
    await agentState('ready', -600, { from: 'logged_out' });
    const a = await call('kq', '+8613800000001', [['enter-queue', 0], ['connect', 10, { agentId, data: { waitMs: 10_000 } }], ['hold', 40], ['resume', 60], ['complete', 130, { agentId }]]);
    await agentState('on_call', 10, { from: 'ringing', interactionId: a });
    await agentState('wrap_up', 130, { from: 'on_call', interactionId: a });
    await agentState('ready', 160, { from: 'wrap_up' });
    await call('kq', '+8613800000002', [['enter-queue', 5], ['abandon', 7, { data: { waitMs: 2000 } }]]);
    await call('kq', '+8613800000003', [['enter-queue', 10], ['abandon', 50, { data: { waitMs: 40_000 } }]]);
    await call('kq2', 'anonymous', [['enter-queue', 900], ['connect', 930, { agentId, data: { waitMs: 30_000 } }], ['complete', 990, { agentId }], ['survey-score', 1000, { data: { score: 4 } }]], '5553002');
    // The same caller as the first call, an hour later: a repeat.
    await call('kq', '+86 138 0000 0001', [['enter-queue', 3600], ['connect', 3605, { agentId, data: { waitMs: 5000 } }], ['complete', 3665, { agentId }]]);
  });

  after(async () => {
    await app?.close();
  });

  it('counts the day from the summary as a fold of the raw rows does', async () => {
    const t = await query();
    const day = dayOf(config.timezone, T0);
    const raw = foldEvents(await new KpiRepository(app.db).eventsForEntries(day), { thresholds: (q) => t.thresholds[q] ?? thresholdsOf({}), includes: (x) => x >= day.from && x < day.to });
    for (const q of ['kq', 'kq2']) {
      const { queue } = rowOf(t, q)!;
      const r = raw.queues.get(q)!;
      assert.deepEqual([queue.offered, queue.answered, queue.abandoned, queue.shortAbandoned, queue.answeredWithinSl, queue.answeredWaitMs, queue.maxWaitMs],
        [r.offered, r.answered, r.abandoned, r.shortAbandoned, r.answeredWithinSl, r.answeredWaitMs, r.maxWaitMs], q);
    }
    const kq = rowOf(t, 'kq')!;
    assert.deepEqual([kq.queue.offered, kq.queue.answered, kq.queue.abandoned, kq.queue.shortAbandoned], [4, 2, 2, 1]);
    assert.equal(kq.queue.abandonRate, 1 / 3);
    assert.deepEqual([kq.handling.handled, kq.handling.talkMs, kq.handling.holdMs, kq.handling.wrapMs], [2, 180_000, 20_000, 30_000]);
    assert.equal(kq.handling.ahtSec, 115, '(180 + 20 + 30) / 2');
    assert.equal(kq.handling.fcr, 0.5, 'the second call of +8613800000001 within 168 h is a repeat');
    const kq2 = rowOf(t, 'kq2')!;
    assert.deepEqual([kq2.handling.fcr, kq2.handling.csatMean, kq2.queue.serviceLevel], [1, 4, 0], 'anonymous is no repeat; T is 10 s in kq2');
    assert.equal(t.total.queue.offered, 5);
  });

  it('splits by DID, by agent with state time, and by hour', async () => {
    const dids = await query({ by: 'did' });
    assert.deepEqual(dids.rows.map((r) => [r.key, r.queue.offered]), [['5553001', 4], ['5553002', 1]]);
    const agents = await query({ by: 'agent' });
    const me = rowOf(agents, String(agentId))!;
    assert.equal(me.name, 'Kpi Agent');
    assert.deepEqual([me.queue.answered, me.handling.handled], [3, 3]);
    assert.equal(me.agentTime?.wrapMs, 30_000);
    assert.equal(me.agentTime?.talkingMs, 120_000);
    assert.equal(agents.total.queue.offered, 5, 'the total line keeps the calls no agent answered');
    const hours = await query({ by: 'total', grain: 'hour' });
    assert.equal(hours.rows.length, 24);
    assert.deepEqual(hours.rows.filter((r) => r.queue.offered).map((r) => [r.label.slice(11), r.queue.offered]), [['10:00', 4], ['11:00', 1]]);
  });

  it('corrects the summary when an event arrives late (an outbox flush after an outage)', async () => {
    const before = rowOf(await query(), 'kq')!.queue;
    // A call of 10:20 whose rows reach MariaDB only now, written straight as the outbox would.
    const id = randomUUID();
    await app.db('interactions').insert({ id, direction: 'inbound', caller_number: '+8613800000009', did: '5553001', queue: 'kq', entered_at: at(1200) });
    await app.db('call_events').insert([
      { interaction_id: id, seq: 1, type: 'enter-queue', at: at(1200), queue: 'kq' },
      { interaction_id: id, seq: 2, type: 'connect', at: at(1215), queue: 'kq', agent_id: agentId, data: JSON.stringify({ waitMs: 15_000 }) },
    ]);
    const marked = await app.db('kpi_dirty_buckets').count({ n: '*' }).first();
    assert.ok(Number(marked?.n) > 0, 'the trigger marked the bucket');
    await app.kpis.refresh();
    assert.equal(Number((await app.db('kpi_dirty_buckets').count({ n: '*' }).first())?.n), 0, 'the job re-folded it');
    const cells = await app.db('kpi_cells').where({ queue: 'kq' }).sum({ offered: 'offered', answered: 'answered' }).first();
    assert.deepEqual([Number(cells?.offered), Number(cells?.answered)], [before.offered + 1, before.answered + 1]);
    // Its end comes even later: the talk time lands on the same entry.
    await app.db('call_events').insert({ interaction_id: id, seq: 3, type: 'complete', at: at(1275), queue: 'kq', agent_id: agentId });
    const after = rowOf(await query(), 'kq')!;
    assert.equal(after.handling.talkMs, 180_000 + 60_000);
    assert.equal(after.queue.answeredWithinSl, before.answeredWithinSl + 1);
  });

  it('corrects after-call work and agent time when a wrap-up ends late', async () => {
    const id = await call('kq2', '+8613800000010', [['enter-queue', 1800], ['connect', 1805, { agentId, data: { waitMs: 5000 } }], ['complete', 1865, { agentId }]]);
    await agentState('on_call', 1805, { from: 'ringing', interactionId: id });
    await agentState('wrap_up', 1865, { from: 'on_call', interactionId: id });
    const open = rowOf(await query({ by: 'agent' }), String(agentId))!;
    await agentState('ready', 1925, { from: 'wrap_up' });
    const closed = rowOf(await query({ by: 'agent' }), String(agentId))!;
    assert.equal(closed.handling.wrapMs - open.handling.wrapMs, 60_000, 'the wrap-up counts once it has ended');
    assert.equal(closed.agentTime!.wrapMs, 90_000);
  });

  it('re-counts a queue whose service level threshold changed', async () => {
    const sl = rowOf(await query(), 'kq')!.queue.answeredWithinSl;
    const q: Record<string, unknown> = { ...(await app.queues.get('kq')) };
    delete q.id;
    delete q.updatedAt;
    await app.queues.update('kq', { ...q, serviceLevelSec: 5 } as never);
    const after = rowOf(await query(), 'kq')!;
    assert.equal(after.queue.answeredWithinSl, sl - 2, 'waits of 10 s and 15 s are no longer within T');
    assert.equal((await query()).thresholds.kq?.serviceLevelSec, 5);
  });

  it('gives a day without calls zeros and null ratios', async () => {
    const t = await app.kpis.query({ from: '2026-11-01', to: '2026-11-01', grain: 'hour', by: 'total' });
    assert.equal(t.rows.length, 24);
    assert.equal(t.total.queue.offered, 0);
    assert.equal(t.total.queue.serviceLevel, null);
    assert.equal(t.total.handling.ahtSec, null);
  });

  it('gives the wallboard and a report of today the same numbers', async () => {
    const now = Date.now();
    const today = dayKey(config.timezone, now);
    const start = Math.max(dayOf(config.timezone, now).from + 1000, now - 120_000);
    for (const [i, steps] of ([
      [['enter-queue', 0], ['connect', 8, { agentId, data: { waitMs: 8000 } }], ['complete', 60]],
      [['enter-queue', 1], ['abandon', 3, { data: { waitMs: 2000 } }]],
      [['enter-queue', 2], ['connect', 40, { agentId, data: { waitMs: 38_000 } }]],
      [['enter-queue', 3]],
    ] as Step[][]).entries()) {
      const id = randomUUID();
      for (const [type, sec, more] of steps) await app.interactions.event(id, type as never, { queue: 'kq2', agentId: more?.agentId, data: more?.data, at: new Date(start + i * 1000 + sec * 1000) });
      await app.interactions.settled(id);
    }
    const board = (await app.wallboard.snapshot()).queues.find((q) => q.name === 'kq2')!.today;
    const report = (await app.kpis.query({ from: today, to: today, grain: 'day', by: 'queue' })).rows.find((r) => r.key === 'kq2')!.queue;
    for (const k of ['offered', 'answered', 'abandoned', 'shortAbandoned', 'timedOut', 'callbacks', 'answeredWithinSl', 'answeredWaitMs', 'maxWaitMs'] as const) {
      assert.equal(report[k], board[k], k);
    }
    assert.equal(report.offered, 4);
  });
});
