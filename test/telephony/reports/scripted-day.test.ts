// A scripted day of real calls through Asterisk (answered and surveyed, abandoned early and
// late, overflowed by a queue rule, transferred), then the numbers the manager sees: the
// KPI API, the live wallboard, the printable daily report and its CSV, the queue_log export.
// Each must agree with what was placed (counted here by hand) and with each other.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { apiSession } from '../../support/api.js';
import { createDb } from '../../../server/core/db.js';
import { dayKey } from '../../../server/reports/kpi/index.js';

const config = testConfig();
const db = createDb(config);
const [phoneA, phoneB] = [config.phones[0]!, config.phones[1]!];
const DAY_DID = '5559401';
const XFER_DID = '5559402';
let server: ServerHandle;
const phones: ChildProcess[] = [];
let api: Awaited<ReturnType<typeof apiSession>>;
const agentIds = new Map<string, number>();
const callers: Record<string, string> = {};

async function queueWithDid(name: string, did: string, extra: Record<string, unknown>): Promise<void> {
  const [id] = await db('queues').insert({ name, ring_timeout_s: 10, wrap_up_s: 0, config: JSON.stringify({
    skill: 'support', strategy: 'longest_idle', minLevel: 1, maxMisses: 2, announceEverySec: 0, serviceLevelSec: 10, shortAbandonSec: 5, overflow: [], priority: {}, ...extra,
  }) });
  await db('dids').insert({ number: did, queue_id: id });
}

const stateOf = async (ext: string) => ((await (await api('GET', `/api/v1/agents/${agentIds.get(ext)}`)).json()) as { state: string }).state;
async function setState(ext: string, state: 'ready' | 'paused'): Promise<void> {
  await waitFor(`agent ${ext} out of its call`, async () => !['reserved', 'ringing', 'on_call', 'wrap_up'].includes(await stateOf(ext)), 30000);
  if ((await stateOf(ext)) === state) return;
  const res = await api('POST', `/api/v1/agents/${agentIds.get(ext)}/state`, state === 'ready' ? { state } : { state, reason: 'break' });
  assert.equal(res.status, 200, await res.text());
}

const ended = (caller: string) => waitFor(`interaction of ${caller} ended`, async () => {
  const r = await db('interactions').where({ caller_number: caller }).first();
  return r?.ended_at ? r : undefined;
}, 90000);
const newCaller = (tag: string) => (callers[tag] = `8615${tag.length}${Date.now() % 10000000}`);

interface QueueFigures { offered: number; answered: number; abandoned: number; shortAbandoned: number; timedOut: number; answeredWithinSl: number }
const pick = (q: QueueFigures) => ({ offered: q.offered, answered: q.answered, abandoned: q.abandoned, shortAbandoned: q.shortAbandoned, timedOut: q.timedOut, answeredWithinSl: q.answeredWithinSl });

describe('a scripted day of calls, counted by the report, the wallboard and the exports', { timeout: 600000 }, () => {
  const today = dayKey(config.timezone, Date.now());

  before(async () => {
    await seededDatabase(config);
    await queueWithDid('dayq', DAY_DID, { survey: { enabled: true, timeoutSec: 8 }, overflow: [{ afterSec: 10, action: { type: 'voicemail', mailbox: '100' } }] });
    await queueWithDid('dayq2', XFER_DID, { survey: { enabled: false } });
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([phoneA.extension, phoneB.extension]) });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    // A answers, talks 3 s and hangs up first (so its callers reach the survey); B answers and waits.
    for (const [phone, mode] of [[phoneA, { hangUpAfterMs: 3000 }], [phoneB, 'answer']] as const) {
      const port = freshPort() + 30000;
      phones.push(startPhone(port, mode));
      await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
      agentIds.set(phone.extension, (await db('agents').where({ extension: phone.extension }).first('id')).id);
    }
    api = await apiSession(config.demo.adminUser, 'test-admin-password');
  });

  after(async () => {
    for (const p of phones) p.kill();
    await server?.stop();
    await db.destroy();
  });

  it('places the day: answered and surveyed, a short and a late abandon, an overflow, a transfer', async () => {
    // 1. Answered by A within the service level; A hangs up first and the caller scores 4.
    await setState(phoneB.extension, 'paused');
    await setState(phoneA.extension, 'ready');
    const surveyed = await carrierCall({ did: DAY_DID, caller: newCaller('surveyed'), talkMs: 0, steps: [{ pauseMs: 8000 }, { dtmf: '4' }], hangupBy: 'far-end' });
    assert.equal(surveyed.code, 0, surveyed.stderr.slice(-300));
    assert.equal((await ended(callers.surveyed!)).outcome, 'answered');
    await waitFor('survey score stored', async () => (await db('interactions').where({ caller_number: callers.surveyed }).first())?.csat_score === 4 || undefined, 20000);

    // 2-4. Nobody ready: one caller gives up after a moment, one after waiting, one waits until the queue's rule sends it to voicemail.
    await setState(phoneA.extension, 'paused');
    const waits = await Promise.all([
      carrierCall({ did: DAY_DID, caller: newCaller('short'), talkMs: 0, steps: [{ pauseMs: 2500 }] }),
      carrierCall({ did: DAY_DID, caller: newCaller('late'), talkMs: 0, steps: [{ pauseMs: 9000 }] }),
      carrierCall({ did: DAY_DID, caller: newCaller('overflow'), talkMs: 0, steps: [{ pauseMs: 18000 }] }),
    ]);
    for (const w of waits) assert.equal(w.code, 0, w.stderr.slice(-300));
    assert.equal((await ended(callers.short!)).outcome, 'abandoned');
    assert.equal((await ended(callers.late!)).outcome, 'abandoned');
    assert.notEqual((await ended(callers.overflow!)).outcome, 'abandoned', 'the overflowed caller left by the rule');

    // 5. B answers a call of the second queue and hands it to A (blind); A talks and hangs up.
    await setState(phoneB.extension, 'ready');
    const xfer = carrierCall({ did: XFER_DID, caller: newCaller('xfer'), talkMs: 0, steps: [], hangupBy: 'far-end' });
    const row = await waitFor('transferred call connected', async () => {
      const r = await db('interactions').where({ caller_number: callers.xfer }).first();
      return r?.answered_at ? r : undefined;
    }, 30000);
    await setState(phoneA.extension, 'ready');
    const res = await api('POST', `/api/v1/calls/${row.id}/transfer`, { kind: 'blind', target: { type: 'agent', agent: phoneA.extension } });
    assert.ok(res.status < 300, await res.text());
    assert.equal((await xfer).code, 0);
    assert.equal((await ended(callers.xfer!)).outcome, 'answered');
  });

  it('the KPI engine counts what was placed', async () => {
    const table = await (await api('GET', `/api/v1/reports/kpis?from=${today}&to=${today}&grain=day&by=queue`)).json() as { rows: Array<{ key: string; queue: QueueFigures & Record<string, number | null>; handling: Record<string, number | null> }> };
    const q1 = table.rows.find((r) => r.key === 'dayq')!;
    const q2 = table.rows.find((r) => r.key === 'dayq2')!;
    assert.deepEqual(pick(q1.queue), { offered: 4, answered: 1, abandoned: 2, shortAbandoned: 1, timedOut: 1, answeredWithinSl: 1 });
    assert.equal(q1.queue.serviceLevel, 1);
    assert.ok(Math.abs((q1.queue.serviceLevelInclusive as number) - 1 / 3) < 1e-9, 'inclusive SL: 1 / (1 answered + 1 real abandon + 1 timed out)');
    assert.ok(Math.abs((q1.queue.abandonRate as number) - 1 / 3) < 1e-9, 'abandon rate: 1 real abandon / (4 offered - 1 short)');
    assert.deepEqual([q1.handling.csatResponses, q1.handling.csatMean], [1, 4]);
    assert.deepEqual(pick(q2.queue), { offered: 1, answered: 1, abandoned: 0, shortAbandoned: 0, timedOut: 0, answeredWithinSl: 1 });
    assert.deepEqual([q2.handling.handled, q2.handling.transferred], [1, 1], 'the transferred call is handled once');
  });

  it('the live wallboard shows the same numbers as the report for today', async () => {
    const report = await (await api('GET', `/api/v1/reports/kpis?from=${today}&to=${today}&grain=day&by=queue`)).json() as { rows: Array<{ key: string; queue: QueueFigures }> };
    const board = await (await api('GET', '/api/v1/wallboard')).json() as { queues: Array<{ name: string; today: QueueFigures }> };
    for (const name of ['dayq', 'dayq2']) {
      const live = board.queues.find((q) => q.name === name);
      assert.ok(live, `${name} on the wallboard`);
      assert.deepEqual(pick(live.today), pick(report.rows.find((r) => r.key === name)!.queue), name);
    }
  });

  it('the printable daily report and its CSV carry the same figures', async () => {
    const page = await api('GET', `/reports/daily/${today}`);
    assert.equal(page.status, 200);
    const csv = await (await api('GET', `/reports/daily/${today}/queues.csv`)).text();
    const line = csv.split('\r\n').find((l) => l.startsWith('dayq,'));
    assert.ok(line, csv);
    assert.deepEqual(line.split(',').slice(1, 6).map(Number), [4, 1, 2, 1, 1], 'offered, answered, abandoned, short, timed out');
    const totals = (await (await api('GET', `/reports/daily/${today}/totals.csv`)).text()).split('\r\n')[1]!;
    assert.deepEqual(totals.split(',').slice(1, 6).map(Number), [5, 2, 2, 1, 1]);
  });

  it('the queue_log export tells the same day in app_queue\'s words', async () => {
    const from = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const text = await (await api('GET', `/api/v1/exports/queue_log?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).text();
    const events = text.trim().split('\n').map((l) => l.split('|')[4]);
    const count = (e: string) => events.filter((x) => x === e).length;
    assert.equal(count('ENTERQUEUE'), 5);
    assert.equal(count('CONNECT'), 2);
    assert.equal(count('ABANDON'), 2);
    assert.equal(count('EXITWITHTIMEOUT'), 1);
    assert.equal(count('BLINDTRANSFER'), 1);
  });
});
