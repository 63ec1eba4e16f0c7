// The per-day rollups of the per-agent figures (migration 0025) against real MariaDB: a
// report split by agent by day, week or month reads them and says exactly what the
// 15-minute tables say, across a DST change in Europe/Berlin and in a +05:30 zone, after a
// call that spans local midnight and an event that arrives late; a server booting with
// another zone rebuilds them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { createLogger } from '../../../server/core/logger.js';
import { localInstant } from '../../../server/core/time-zone.js';
import { resetDatabase, testConfig } from '../../support/config.js';
import { KpiService, SummaryBuilder, type KpiQuery, type KpiTable } from '../../../server/reports/index.js';
import { RawRepository } from '../../../server/reports/raw-repository.js';
import { SummaryRepository } from '../../../server/reports/summary-repository.js';
import { thresholdsOf } from '../../../server/reports/kpi/thresholds.js';

const BERLIN = 'Europe/Berlin';
const KOLKATA = 'Asia/Kolkata';
let app: FastifyInstance;
let logLines: string[] = [];
let agentA = 0;
let agentB = 0;

/** Boots the server with a zone, as a site does after its config changed; logs are kept. */
async function boot(timeZone: string): Promise<void> {
  await app?.close();
  logLines = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => { logLines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
  app = await buildApp(testConfig({ timezone: timeZone }), { telephony: false, logger: createLogger('info', sink) });
  await app.ready();
  await app.kpis.prepareDays();
}

/** The same engine without the day rollups: every per-agent read from the 15-minute tables. */
function fifteenMinuteEngine(timeZone: string): KpiService {
  const raw = new RawRepository(app.db);
  const summary = new SummaryRepository(app.db);
  const builder = new SummaryBuilder({ raw, summary, thresholds: () => thresholdsOf(undefined), fcrWindowMs: 168 * 3_600_000, timeZone, log: app.log });
  return new KpiService({ raw, summary, builder, queues: { list: () => app.queues.list() }, timeZone, log: app.log });
}

/** Berlin wall clock (the data is written once, in Berlin terms, whatever zone reads it later). */
const berlin = (d: number, h: number, mi = 0, s = 0) => new Date(localInstant(BERLIN, 2026, 3, d, h, mi, s));

async function call(queue: string, caller: string, steps: Array<[string, Date, number?]>): Promise<string> {
  const id = randomUUID();
  await app.interactions.open({ id, direction: 'inbound', callerNumber: caller, callerName: null, did: '5554001', linkedid: null, asteriskSystem: null, enteredAt: steps[0]![1] });
  for (const [type, at, agentId] of steps) {
    const data = type === 'connect' ? { waitMs: at.getTime() - steps[0]![1].getTime() } : undefined;
    await app.interactions.event(id, type as never, { queue, agentId, data, at });
    if (type === 'connect') await app.interactions.update(id, { answeredAt: at, agentId, queue });
  }
  await app.interactions.settled(id);
  return id;
}

let seq = 0;
async function states(agentId: number, rows: Array<[string, Date, string?]>): Promise<void> {
  let from = 'logged_out';
  for (const [to, at, reason] of rows) {
    await app.db('agent_state_log').insert({ agent_id: agentId, seq: ++seq, from_state: from, to_state: to, reason: reason ?? null, at });
    from = to;
  }
}

const QUERIES: Array<Omit<KpiQuery, 'by'>> = [
  { from: '2026-03-01', to: '2026-03-31', grain: 'month' },
  { from: '2026-03-23', to: '2026-04-05', grain: 'week' },
  { from: '2026-03-27', to: '2026-03-31', grain: 'day' },
  { from: '2026-03-28', to: '2026-03-30', grain: 'day', queues: ['dq1'] },
];

const comparable = (t: KpiTable) => JSON.stringify({ ...t, generatedAt: 0 });
const agentRow = (t: KpiTable, id: number) => t.rows.find((r) => r.key === String(id));

/** Every query by agent, from the day tables and from the 15-minute tables: the same tables. */
async function assertSameAsFifteenMinutes(timeZone: string): Promise<KpiTable[]> {
  const old = fifteenMinuteEngine(timeZone);
  const out: KpiTable[] = [];
  for (const q of QUERIES) {
    const [fromDays, fromBuckets] = [await app.kpis.query({ ...q, by: 'agent' }), await old.query({ ...q, by: 'agent' })];
    assert.ok(fromDays.rows.length > 0, `${q.grain} ${q.from}: rows`);
    assert.equal(comparable(fromDays), comparable(fromBuckets), `${timeZone} ${q.grain} ${q.from}..${q.to} ${q.queues ?? ''}`);
    out.push(fromDays);
  }
  return out;
}

describe('per-day rollups of the per-agent figures', () => {
  before(async () => {
    await resetDatabase(testConfig({ timezone: BERLIN }));
    await boot(BERLIN);
    await app.queues.create({ name: 'dq1', skill: 'dq1', strategy: 'longest_idle', priority: {} });
    await app.queues.create({ name: 'dq2', skill: 'dq2', strategy: 'longest_idle', priority: {} });
    [agentA] = (await app.db('agents').insert({ number: '4101', name: 'Day Agent A', extension: '4101' })) as [number];
    [agentB] = (await app.db('agents').insert({ number: '4102', name: 'Day Agent B', extension: '4102' })) as [number];
    // Saturday 28 March: A answers at 10:00; B answers a call that entered at 23:50 after
    // midnight (Sunday 29 March, the 23-hour day: clocks go from 02:00 to 03:00).
    await call('dq1', '+4930111111', [['enter-queue', berlin(28, 10)], ['connect', berlin(28, 10, 0, 12), agentA], ['complete', berlin(28, 10, 5), agentA]]);
    await call('dq1', '+4930222222', [['enter-queue', berlin(28, 23, 50)], ['connect', berlin(29, 0, 10), agentB], ['complete', berlin(29, 0, 40), agentB]]);
    await call('dq2', '+4930333333', [['enter-queue', berlin(29, 3, 30)], ['connect', berlin(29, 3, 30, 20), agentA], ['complete', berlin(29, 3, 45), agentA]]);
    await call('dq2', '+4930444444', [['enter-queue', berlin(30, 9)], ['abandon', berlin(30, 9, 1)]]);
    await states(agentA, [['ready', berlin(28, 9)], ['on_call', berlin(28, 10, 0, 12)], ['wrap_up', berlin(28, 10, 5)], ['ready', berlin(28, 10, 6)],
      ['paused', berlin(28, 12), 'lunch'], ['logged_out', berlin(28, 13)], ['ready', berlin(29, 3, 15)], ['on_call', berlin(29, 3, 30, 20)], ['logged_out', berlin(29, 3, 45)]]);
    await states(agentB, [['ready', berlin(28, 22)], ['on_call', berlin(29, 0, 10)], ['wrap_up', berlin(29, 0, 40)], ['paused', berlin(29, 1), 'break'], ['logged_out', berlin(29, 4)]]);
  });

  after(async () => {
    await app?.close();
  });

  it('gives the same per-agent month, weeks and days as the 15-minute tables across the DST change in Berlin', async () => {
    const [month, weeks, days] = await assertSameAsFifteenMinutes(BERLIN);
    assert.deepEqual([agentRow(month!, agentA)?.handling.handled, agentRow(month!, agentB)?.handling.handled], [2, 1]);
    assert.equal(agentRow(month!, agentB)?.handling.talkMs, 30 * 60_000, 'the call spanning midnight counts whole');
    assert.deepEqual(weeks!.rows.filter((r) => r.key === String(agentA)).map((r) => r.label), ['2026-W13']);
    const bDays = days!.rows.filter((r) => r.key === String(agentB)).map((r) => [r.label, r.queue.answered, r.agentTime?.pausedMs]);
    // B's call entered on Saturday (its day), the talk and the pause (01:00-04:00 of a day without 02:00-03:00: 2 h) on Sunday.
    assert.deepEqual(bDays, [['2026-03-28', 1, {}], ['2026-03-29', 0, { break: 2 * 3_600_000 }]]);
    const rows: Array<{ day: number }> = await app.db('kpi_cells_day').where({ agent_id: agentB }).select('day');
    assert.deepEqual(rows.map((r) => new Date(r.day * 1000).toISOString()), ['2026-03-27T23:00:00.000Z'], 'a Berlin midnight in winter time');
  });

  it('follows a late event into the day rows', async () => {
    const before = agentRow((await app.kpis.query({ ...QUERIES[0]!, by: 'agent' })), agentB)!;
    // A call of Sunday 12:00 whose rows reach MariaDB only now, as an outbox flush writes them.
    const id = randomUUID();
    await app.db('interactions').insert({ id, direction: 'inbound', caller_number: '+4930555555', did: '5554001', queue: 'dq1', entered_at: berlin(29, 12) });
    await app.db('call_events').insert([
      { interaction_id: id, seq: 1, type: 'enter-queue', at: berlin(29, 12), queue: 'dq1' },
      { interaction_id: id, seq: 2, type: 'connect', at: berlin(29, 12, 0, 5), queue: 'dq1', agent_id: agentB, data: JSON.stringify({ waitMs: 5000 }) },
      { interaction_id: id, seq: 3, type: 'complete', at: berlin(29, 12, 2, 5), queue: 'dq1', agent_id: agentB },
    ]);
    const [month] = await assertSameAsFifteenMinutes(BERLIN);
    const afterRow = agentRow(month!, agentB)!;
    assert.equal(afterRow.handling.handled, before.handling.handled + 1);
    assert.equal(afterRow.handling.talkMs, before.handling.talkMs + 120_000);
    const day = await app.db('kpi_cells_day').where({ agent_id: agentB, day: localInstant(BERLIN, 2026, 3, 29) / 1000 }).first('handled');
    assert.equal(day?.handled, 1, 'the day row of the 23-hour Sunday');
  });

  it('reads the day tables for whole days, not the 15-minute tables', async () => {
    const q: KpiQuery = { ...QUERIES[0]!, by: 'agent' };
    const handled = async (e: KpiService) => agentRow(await e.query(q), agentA)?.handling.handled;
    await app.db('kpi_cells_day').where({ agent_id: agentA, queue: 'dq1' }).increment('handled', 100);
    assert.equal(await handled(app.kpis), 102, 'the altered day rows are what the month reads');
    assert.equal(await handled(fifteenMinuteEngine(BERLIN)), 2);
    const hours = await app.kpis.query({ from: '2026-03-28', to: '2026-03-28', grain: 'hour', by: 'agent' });
    assert.equal(hours.rows.filter((r) => r.key === String(agentA)).reduce((n, r) => n + r.handling.handled, 0), 1, 'hours read the 15-minute tables');
    await app.db('kpi_cells_day').where({ agent_id: agentA, queue: 'dq1' }).decrement('handled', 100);
  });

  it('rebuilds the day tables when the server boots with another zone (+05:30), and again when it goes back', async () => {
    await boot(KOLKATA);
    assert.ok(logLines.some((l) => l.includes('time zone changed from Europe/Berlin')), 'the rebuild is logged');
    assert.equal((await app.db('kpi_day_meta').first('time_zone'))?.time_zone, KOLKATA);
    const days: Array<{ day: number }> = await app.db('kpi_cells_day').distinct('day');
    assert.ok(days.length >= 3);
    assert.ok(days.every((d) => (d.day + 5.5 * 3600) % 86_400 === 0), 'every day starts at a Kolkata midnight (18:30 UTC)');
    const [month] = await assertSameAsFifteenMinutes(KOLKATA);
    assert.deepEqual([agentRow(month!, agentA)?.handling.handled, agentRow(month!, agentB)?.handling.handled], [2, 2]);
    await boot(BERLIN);
    assert.equal((await app.db('kpi_day_meta').first('time_zone'))?.time_zone, BERLIN);
    await assertSameAsFifteenMinutes(BERLIN);
    await boot(BERLIN);
    assert.ok(!logLines.some((l) => l.includes('rebuilding the per-day KPI rollups')), 'the same zone again: nothing rebuilt');
  });

  it('rebuilds empty day tables on a site upgraded with history', async () => {
    for (const t of ['kpi_cells_day', 'kpi_agent_time_day', 'kpi_agent_pause_day', 'kpi_day_meta']) await app.db(t).delete();
    await boot(BERLIN);
    assert.ok(logLines.some((l) => l.includes('new or empty tables')));
    assert.ok(Number((await app.db('kpi_agent_time_day').count({ n: '*' }).first())?.n) > 0);
    await assertSameAsFifteenMinutes(BERLIN);
  });
});
