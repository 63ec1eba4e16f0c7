// Today's wallboard figures against real MariaDB and Redis: folded from the call_events
// rows on first use, kept current from live call events, equal to a fold of the rows,
// and the same after a restart. The pages and the API serve them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { resetDatabase, testConfig } from '../../support/config.js';
import { dayOf, foldEvents, KpiRepository, thresholdsOf, type QueueCounters } from '../../../server/reports/kpi/index.js';
import { LiveCalls } from '../../../server/acd/index.js';

const config = testConfig();
const SUPERVISOR = { username: 'wb-super', password: 'supervisor password 1', role: 'supervisor', displayName: 'Wall Super' } as const;
let app: FastifyInstance;

async function signIn(a: FastifyInstance): Promise<string> {
  const form = await a.inject({ method: 'GET', url: '/login' });
  const anon = form.cookies.find((c) => c.name === 'cc_session');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const res = await a.inject({
    method: 'POST', url: '/login',
    headers: { cookie: `cc_session=${anon?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, username: SUPERVISOR.username, password: SUPERVISOR.password }).toString(),
  });
  const set = res.cookies.find((c) => c.name === 'cc_session');
  assert.ok(set, 'signed in');
  return `cc_session=${set.value}`;
}

/** A time earlier today (in the contact center's zone), `back` ms before now but never before midnight. */
function earlierToday(back: number): Date {
  const now = Date.now();
  return new Date(Math.max(dayOf(config.timezone, now).from + 1000, now - back));
}

/** Writes call events as the ACD does: through the interaction service (MariaDB and the live topic). */
async function call(queue: string, steps: Array<[string, number, Record<string, unknown>?]>, startBack: number): Promise<void> {
  const id = randomUUID();
  const t0 = earlierToday(startBack).getTime();
  for (const [type, offsetMs, data] of steps) await app.interactions.event(id, type as never, { queue, data, at: new Date(t0 + offsetMs) });
  await app.interactions.settled(id);
}

/** What a report would count: a fresh fold of today's rows in MariaDB. */
async function foldedFromDb(queue: string) {
  const events = await new KpiRepository(app.db).eventsForEntries(dayOf(config.timezone, Date.now()));
  const day = dayOf(config.timezone, Date.now());
  return foldEvents(events, { thresholds: () => thresholdsOf({}), includes: (at) => at >= day.from && at < day.to }).queues.get(queue);
}

const countersOf = async (queue: string) => (await app.wallboard.snapshot()).queues.find((q) => q.name === queue)!.today;
const pick = (k: QueueCounters) => ({ offered: k.offered, answered: k.answered, abandoned: k.abandoned, shortAbandoned: k.shortAbandoned, timedOut: k.timedOut, callbacks: k.callbacks, answeredWithinSl: k.answeredWithinSl });

async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('the wallboard\'s day', () => {
  before(async () => {
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    await app.users.create(SUPERVISOR);
    await app.queues.create({ name: 'wbq', skill: 'wbq', strategy: 'longest_idle', priority: {} });
    // Calls from before the wallboard was first opened: only MariaDB knows them.
    await call('wbq', [['enter-queue', 0], ['connect', 8000, { waitMs: 8000 }], ['complete', 60000]], 120_000);
    await call('wbq', [['enter-queue', 0], ['connect', 25000, { waitMs: 25000 }]], 110_000);
    await call('wbq', [['enter-queue', 0], ['abandon', 2000, { waitMs: 2000 }]], 100_000);
    await call('wbq', [['enter-queue', 0], ['abandon', 40000, { waitMs: 40000 }]], 90_000);
  });

  after(async () => {
    await app?.close();
  });

  it('folds today from MariaDB on first use, equal to a report\'s fold of the same rows', async () => {
    const k = await countersOf('wbq');
    assert.deepEqual(pick(k), { offered: 4, answered: 2, abandoned: 2, shortAbandoned: 1, timedOut: 0, callbacks: 0, answeredWithinSl: 1 });
    assert.deepEqual(pick(k), pick((await foldedFromDb('wbq'))!));
    assert.equal(k.serviceLevel, 0.5);
    assert.equal(k.abandonRate, 1 / 3);
  });

  it('adds live call events as they are published, and still equals the fold of MariaDB', async () => {
    await call('wbq', [['enter-queue', 0], ['divert', 30000, { type: 'voicemail' }]], 60_000);
    await call('wbq', [['enter-queue', 0], ['divert', 5000, { type: 'callback' }], ['callback-request', 9000]], 50_000);
    await waitUntil('the live events counted', async () => (await countersOf('wbq')).offered === 6);
    const k = await countersOf('wbq');
    assert.deepEqual(pick(k), { offered: 6, answered: 2, abandoned: 2, shortAbandoned: 1, timedOut: 1, callbacks: 1, answeredWithinSl: 1 });
    assert.deepEqual(pick(k), pick((await foldedFromDb('wbq'))!));
  });

  it('shows the callers waiting now from the ACD\'s live calls, with the oldest one\'s queue time', async () => {
    const live = new LiveCalls(app.redis);
    const queuedAt = new Date(Date.now() - 42_000).toISOString();
    const ids = [randomUUID(), randomUUID()];
    await live.save({ id: ids[0]!, state: 'waiting', callerChannel: 'ch-a', callerChannelName: 'PJSIP/a', callerNumber: '5550001', did: '1', queue: 'wbq', enteredAt: queuedAt, queuedAt });
    await live.save({ id: ids[1]!, state: 'waiting', callerChannel: 'ch-b', callerChannelName: 'PJSIP/b', callerNumber: '5550002', did: '1', queue: 'wbq', enteredAt: queuedAt, queuedAt: new Date().toISOString() });
    try {
      const q = (await app.wallboard.snapshot()).queues.find((x) => x.name === 'wbq')!;
      assert.equal(q.waiting, 2);
      assert.equal(q.oldestQueuedAt, queuedAt);
      assert.ok(q.longestWaitSec! >= 42 && q.longestWaitSec! < 60);
      assert.equal(q.standing.longestWait, 'bad', '42 s is over twice the 20 s threshold');
    } finally {
      for (const id of ids) await live.finish((await live.get(id))!);
    }
  });

  it('serves the numbers to supervisors: the page, the TV page, the API, the event stream', async () => {
    const cookie = await signIn(app);
    const page = await app.inject({ method: 'GET', url: '/wallboard', headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<article class="wb-queue" data-queue="wbq"/);
    assert.match(page.body, /data-field="offered">6</);
    assert.match(page.body, /class="topbar"/, 'the normal page has navigation');
    const tv = await app.inject({ method: 'GET', url: '/wallboard?tv=1', headers: { cookie } });
    assert.match(tv.body, /<body class="tv">/);
    assert.doesNotMatch(tv.body, /class="topbar"/, 'the TV page has none');
    const api = await app.inject({ method: 'GET', url: '/api/v1/wallboard', headers: { cookie, accept: 'application/json' } });
    assert.equal(api.statusCode, 200);
    assert.equal(api.json().queues.find((q: { name: string }) => q.name === 'wbq').today.offered, 6);
    const agents = await app.inject({ method: 'GET', url: '/supervisor/agents', headers: { cookie } });
    assert.equal(agents.statusCode, 200);
    assert.match(agents.body, /id="supervisor-agents"/);
    const anon = await app.inject({ method: 'GET', url: '/api/v1/wallboard', headers: { accept: 'application/json' } });
    assert.equal(anon.statusCode, 401);
  });

  it('gives the same numbers after a restart', async () => {
    const before = pick(await countersOf('wbq'));
    await app.close();
    app = await buildApp(config, { telephony: false });
    assert.deepEqual(pick(await countersOf('wbq')), before);
  });
});
