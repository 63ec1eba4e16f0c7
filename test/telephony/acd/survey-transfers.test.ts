// The post-call survey after a transfer, on real Asterisk: agent 1001 answers a caller in a
// queue that asks for the survey and hands it on (blind or attended) to agent 1002, whose
// desk phone hangs up after talking. The caller keys a score: it lands once on the
// interaction, in one survey-score event naming the last agent, and once in CSAT. A call
// transferred into a queue without the survey ends with the last agent's hang-up.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../support/server-process.js';
import { carrierCall, freshPort, registerPhone, startPhone, type CallerStep } from '../../support/sipp.js';
import {
  agentId, api, config, contactPorts, db, endedRow, events, hangupLeftovers, live, liveWhere, pause, phones, post, procs, ready, setup, teardown,
} from '../../support/call-control-rig.js';

const A = '1001';
const B = '1002';
const PLAIN_QUEUE = 'survey-xfer-plain';
/** Agent B talks this long from its answer (consultation included), then hangs up. */
const B_TALK_MS = 5000;
/**
 * When the caller keys its score, from its own answer: A answers within a few seconds, B's
 * talk adds 5 s, so B has hung up by about 10 s and the question (about 7 s) is playing or
 * just over; the survey waits SURVEY_TIMEOUT_SEC after the question, so a key up to ~30 s counts.
 */
const KEY_AT_MS = 16000;
const SURVEY_TIMEOUT_SEC = 20;

type Kpis = { handled: number; transferred: number; csatResponses: number; csatMean: number | null };

/** Today in the contact center's time zone: the KPI day the calls of this file count in. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: config.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

type KpiAnswer = { total: { handling: Kpis }; rows: Array<{ key: string | null; handling: Kpis }> };

/** The day's figures from the KPI engine, as the reports read them. */
async function dayKpiAnswer(by: 'total' | 'agent'): Promise<KpiAnswer> {
  const day = today();
  const res = await api('GET', `/api/v1/reports/kpis?from=${day}&to=${day}&grain=day&by=${by}`);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text) as KpiAnswer;
}
const dayKpis = async (): Promise<Kpis> => (await dayKpiAnswer('total')).total.handling;
/** CSAT responses of each of A and B in the per-agent split. */
async function csatByAgent(): Promise<{ a: number; b: number }> {
  const rows = (await dayKpiAnswer('agent')).rows;
  const of = (ext: string) => rows.find((r) => r.key === String(agentId(ext)))?.handling.csatResponses ?? 0;
  return { a: of(A), b: of(B) };
}
const csatSum = (k: Kpis) => (k.csatMean ?? 0) * k.csatResponses;

/** Only A is ready: a carrier call into the demo queue reaches A; resolves once A talks with it. */
async function callAnsweredByA(steps: CallerStep[]) {
  for (const p of phones) if (p.extension !== A) await pause(p.extension);
  await ready(A);
  const caller = `86177${Date.now() % 1000000}`;
  const done = carrierCall({ did: config.demo.did, caller, talkMs: 0, steps, hangupBy: 'far-end' }).then((r) => ({ ...r, at: Date.now() }));
  const row = await waitFor(`interaction of ${caller}`, async () => db('interactions').where({ caller_number: caller }).first(), 20000);
  await liveWhere('answered by A', row.id, (l) => l.state === 'connected' && Number(l.agentId) === agentId(A));
  return { id: row.id as string, done };
}

/** Waits for the survey-score event (or the end of the call without one) and returns the call's events. */
const surveyed = (id: string) => waitFor(`survey score of ${id}`, async () => {
  const ev = await events(id);
  return ev.some((e) => e.type === 'survey-score') ? ev : undefined;
}, 40000);

/** What every transferred and surveyed call must show, whatever the kind of transfer. */
async function assertScoredOnceForB(id: string, score: number, before: Kpis & { perAgent: { a: number; b: number } }, transferEvents: string[]): Promise<void> {
  const ev = await surveyed(id);
  const row = await endedRow(id);
  assert.equal(row.outcome, 'answered');
  assert.equal(row.csat_score, score, 'the score is on the interaction');
  assert.equal(row.agent_id, agentId(B), 'the interaction names the last agent');
  assert.deepEqual(typeof row.handled_by === 'string' ? JSON.parse(row.handled_by) : row.handled_by, [agentId(A), agentId(B)]);
  const seq = ev.map((e) => e.type as string);
  assert.deepEqual(seq.slice(seq.indexOf('connect')), ['connect', ...transferEvents, 'complete', 'survey-score']);
  const complete = ev.find((e) => e.type === 'complete')!;
  assert.equal(complete.data.by, 'agent', 'B hung up first');
  const scores = ev.filter((e) => e.type === 'survey-score');
  assert.equal(scores.length, 1, 'exactly one survey-score event');
  assert.deepEqual(scores[0]!.data, { score });
  assert.equal(scores[0]!.agent_id, agentId(B), 'the score names the agent who talked last');
  assert.equal(scores[0]!.queue, config.demo.queue);
  // Counted once in the day's CSAT (and once as handled and transferred), by the engine the reports use.
  const after = await dayKpis();
  assert.equal(after.csatResponses - before.csatResponses, 1, 'one CSAT response');
  assert.ok(Math.abs(csatSum(after) - csatSum(before) - score) < 1e-9, `the response is a ${score}`);
  assert.equal(after.handled - before.handled, 1, 'the transferred call is handled once');
  assert.equal(after.transferred - before.transferred, 1, 'transferred once (leaving a conference counts, as in the queue_log export)');
  const perAgent = await csatByAgent();
  assert.deepEqual([perAgent.a - before.perAgent.a, perAgent.b - before.perAgent.b], [0, 1], 'the per-agent split gives the score to B, whom the caller rated');
}

/**
 * The call ended without a survey: the caller heard our BYE right after the agent's hang-up
 * (the question alone lasts about 7 s), and no score was kept or counted.
 */
async function assertHungUpUnasked(id: string, res: { code: number | null; stderr: string; at: number }, before: Kpis) {
  assert.equal(res.code, 0, `the caller heard our BYE\n${res.stderr.slice(-1000)}`);
  const row = await endedRow(id);
  assert.equal(row.outcome, 'answered');
  const ev = await events(id);
  const complete = ev.find((e) => e.type === 'complete')!;
  assert.equal(complete.data.by, 'agent');
  const lag = res.at - new Date(complete.at).getTime();
  assert.ok(lag < 3000, `the caller was hung up ${lag} ms after the call ended: no survey`);
  assert.equal(row.csat_score, null);
  assert.ok(!ev.some((e) => e.type === 'survey-score'));
  const after = await dayKpis();
  assert.equal(after.csatResponses, before.csatResponses, 'no CSAT response');
  assert.equal(after.handled - before.handled, 1);
  assert.equal((await live(id)).state, 'ended');
  return { row, ev };
}

describe('the post-call survey after transfers, on real Asterisk', { timeout: 600000 }, () => {
  before(async () => {
    await setup();
    // The demo queue asks for the survey; a second queue with the same skill does not.
    const res = await api('GET', `/api/v1/queues/${config.demo.queue}`);
    // PUT takes the settings alone: the id and the update time are the server's.
    const queue = (await res.json()) as Record<string, unknown>;
    delete queue.id;
    delete queue.updatedAt;
    const put = await api('PUT', `/api/v1/queues/${config.demo.queue}`, { ...queue, survey: { enabled: true, timeoutSec: SURVEY_TIMEOUT_SEC } });
    assert.equal(put.status, 200, await put.text());
    const created = await api('POST', '/api/v1/queues', { ...queue, name: PLAIN_QUEUE, survey: { enabled: false } });
    assert.equal(created.status, 201, await created.text());
    // B's desk phone answers every call at once and hangs up B_TALK_MS later.
    const port = freshPort() + 34000;
    procs.push(startPhone(port, { hangUpAfterMs: B_TALK_MS }));
    await registerPhone({ extension: B, password: phones[1]!.password, contactPort: port });
  });
  after(async () => {
    await registerPhone({ extension: B, password: phones[1]!.password, contactPort: contactPorts.get(B)! }).catch(() => undefined);
    await teardown('cc-survey-transfers-server.log');
  });
  afterEach(hangupLeftovers);

  it('blind to another agent: when B hangs up the caller keys 4; the score lands once, naming B', async () => {
    const before = { ...(await dayKpis()), perAgent: await csatByAgent() };
    const call = await callAnsweredByA([{ pauseMs: KEY_AT_MS }, { dtmf: '4' }]);
    await ready(B);
    await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'blind', target: { type: 'agent', agent: B } });
    await liveWhere('B talks with the caller', call.id, (l) => l.state === 'connected' && Number(l.agentId) === agentId(B));
    const res = await call.done;
    assert.equal(res.code, 0, `the caller answered the survey and heard our BYE\n${res.stderr.slice(-1000)}`);
    await assertScoredOnceForB(call.id, 4, before, ['transfer', 'transfer-ringing', 'transfer-connect']);
  });

  it('attended to another agent, consulted then completed: when B hangs up the caller keys 2; the score lands once, naming B', async () => {
    const before = { ...(await dayKpis()), perAgent: await csatByAgent() };
    const call = await callAnsweredByA([{ pauseMs: KEY_AT_MS }, { dtmf: '2' }]);
    await ready(B);
    const consulting = await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'attended', target: { type: 'agent', agent: B } });
    assert.equal(consulting.state, 'consulting');
    await liveWhere('B answered the consultation', call.id, (l) => !!l.xferAnsweredAt);
    const done = await post(`/api/v1/calls/${call.id}/complete-transfer`);
    assert.equal(done.state, 'connected');
    assert.equal(done.agentId, agentId(B));
    const res = await call.done;
    assert.equal(res.code, 0, `the caller answered the survey and heard our BYE\n${res.stderr.slice(-1000)}`);
    await assertScoredOnceForB(call.id, 2, before, ['transfer', 'transfer-ringing', 'transfer-connect', 'transfer-complete']);
    assert.ok((await endedRow(call.id)).hold_ms > 0, 'the consultation held the caller');
  });

  it('blind into a queue without the survey: the caller is hung up with B, asked nothing', async () => {
    const before = await dayKpis();
    // The caller only waits for our BYE: a survey would keep it on the line for the question.
    const call = await callAnsweredByA([{ pauseMs: 500 }]);
    await ready(B);
    await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'blind', target: { type: 'queue', queue: PLAIN_QUEUE } });
    await liveWhere('B answered in the plain queue', call.id, (l) => l.state === 'connected' && Number(l.agentId) === agentId(B) && l.queue === PLAIN_QUEUE);
    const { row } = await assertHungUpUnasked(call.id, await call.done, before);
    assert.equal(row.queue, PLAIN_QUEUE, 'the call ended in the queue it was transferred to');
    assert.equal(row.agent_id, agentId(B));
  });

  it('held, then the agent hangs up: the caller is hung up too, asked nothing', async () => {
    const before = await dayKpis();
    const call = await callAnsweredByA([{ pauseMs: 500 }]);
    assert.equal((await post(`/api/v1/calls/${call.id}/hold`)).state, 'held');
    // As if A put the handset down while the caller listens to the hold music.
    await post(`/api/v1/calls/${call.id}/hangup`);
    const { row } = await assertHungUpUnasked(call.id, await call.done, before);
    assert.equal(row.agent_id, agentId(A));
    assert.ok(row.hold_ms > 0, 'the call ended on hold');
  });

  it('blind to a number (desk phone 1004, no agent of ours): its hang-up asks nothing', async () => {
    const before = await dayKpis();
    const call = await callAnsweredByA([{ pauseMs: 500 }]);
    await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'blind', target: { type: 'number', number: '1004' } });
    await liveWhere('1004 talks with the caller', call.id, (l) => l.state === 'connected' && /^xfer-/.test(l.agentChannel ?? '') && !l.agentId);
    // The number's leg is the call's agent leg now: hanging it up is the far end putting the handset down.
    await post(`/api/v1/calls/${call.id}/hangup`);
    const { row } = await assertHungUpUnasked(call.id, await call.done, before);
    assert.equal(row.agent_id, null, 'nobody of ours had the call at its end');
  });

  it('a conference A leaves is a plain talk with B again: B hangs up, the caller keys 5, naming B', async () => {
    const before = { ...(await dayKpis()), perAgent: await csatByAgent() };
    const call = await callAnsweredByA([{ pauseMs: KEY_AT_MS }, { dtmf: '5' }]);
    await ready(B);
    await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'attended', target: { type: 'agent', agent: B } });
    await liveWhere('B answered the consultation', call.id, (l) => !!l.xferAnsweredAt);
    assert.equal((await post(`/api/v1/calls/${call.id}/conference`)).state, 'conference');
    const left = await post(`/api/v1/calls/${call.id}/complete-transfer`);
    assert.equal(left.state, 'connected');
    assert.equal(left.agentId, agentId(B));
    const res = await call.done;
    assert.equal(res.code, 0, `the caller answered the survey and heard our BYE\n${res.stderr.slice(-1000)}`);
    // The transfer rate is the reports' business (handling.ts); only CSAT is checked here.
    await assertScoredOnceForB(call.id, 5, before, ['transfer', 'transfer-ringing', 'transfer-connect', 'conference', 'conference-leave']);
  });

});
