// The post-call survey on real Asterisk: the agent's desk phone hangs up first, the caller
// stays, hears the question and keys a score (RFC 2833), then hears our BYE.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort, type CallerStep } from '../../support/sipp.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const phone = config.phones[0]!;
const SURVEY_DID = '5559301';
const PLAIN_DID = '5559302';
/** The agent talks this long after answering, then hangs up. */
const TALK_MS = 3000;
/** From the caller's answer: greeting, offer and the agent's talk are over, the question is playing. */
const AFTER_AGENT_MS = 8000;
let server: ServerHandle;
let deskPhone: ChildProcess;

const ended = (caller: string) => waitFor(`interaction of ${caller} ended`, async () => {
  const r = await db('interactions').where({ caller_number: caller }).first();
  return r?.ended_at ? r : undefined;
}, 60000);
const eventsOf = async (id: string) => (await db('call_events').where({ interaction_id: id }).orderBy('seq'))
  .map((e: { type: string; at: Date; data: unknown }) => ({ type: e.type, at: e.at, data: (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as Record<string, unknown> }));

const surveyDone = (id: string) => new RegExp(`"interactionId":"${id}"[^\\n]*"msg":"survey done"`).test(server.log());

async function queueWithDid(name: string, did: string, survey: Record<string, unknown>): Promise<void> {
  const [id] = await db('queues').insert({ name, ring_timeout_s: 10, wrap_up_s: 0, config: JSON.stringify({
    skill: 'support', strategy: 'longest_idle', minLevel: 1, maxMisses: 2, announceEverySec: 0, serviceLevelSec: 20, overflow: [], priority: {}, survey,
  }) });
  await db('dids').insert({ number: did, queue_id: id });
}

/** A caller who waits for the agent to hang up, keys `steps`, and hears our BYE. */
function surveyedCall(caller: string, steps: CallerStep[]): Promise<{ code: number | null; stderr: string }> {
  return carrierCall({ did: SURVEY_DID, caller, talkMs: 0, steps: [{ pauseMs: AFTER_AGENT_MS }, ...steps], hangupBy: 'far-end' });
}

describe('the post-call survey on real Asterisk', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await queueWithDid('rated', SURVEY_DID, { enabled: true, timeoutSec: 10 });
    await queueWithDid('unrated', PLAIN_DID, { enabled: false });
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([phone.extension]) });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    const port = freshPort() + 30000;
    deskPhone = startPhone(port, { hangUpAfterMs: TALK_MS });
    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
    await waitFor('phone registered in live state', async () => server.log().includes('"registered":true'), 15000).catch(() => undefined);
  });

  after(async () => {
    deskPhone?.kill();
    await server?.stop();
    await db.destroy();
  });

  it('after the agent hangs up, the caller keys 4: the score is on the interaction and in a survey-score event', async () => {
    const caller = `86201${Date.now() % 1000000}`;
    const res = await surveyedCall(caller, [{ dtmf: '4' }]);
    assert.equal(res.code, 0, `the caller heard our BYE after the survey\n${server.log().slice(-2000)}`);
    const row = await ended(caller);
    assert.equal(row.outcome, 'answered');
    const score = await waitFor('csat score', async () => (await db('interactions').where({ id: row.id }).first()).csat_score);
    assert.equal(score, 4);
    const events = await eventsOf(row.id);
    assert.deepEqual(events.slice(events.findIndex((e) => e.type === 'connect')).map((e) => e.type), ['connect', 'complete', 'survey-score']);
    const complete = events.find((e) => e.type === 'complete')!;
    const surveyed = events.find((e) => e.type === 'survey-score')!;
    assert.deepEqual(surveyed.data, { score: 4 });
    assert.equal(complete.data.by, 'agent');
    assert.ok(Math.abs(row.talk_ms - TALK_MS) < 1500, `talk ${row.talk_ms} ms ends with the agent's hang-up, not the survey`);
    // The recording was closed at the agent's hang-up: the survey is not in it.
    const rec = await waitFor('recording row', () => db('recordings').where({ interaction_id: row.id }).first());
    assert.ok(Math.abs(rec.duration_ms - row.talk_ms) < 1500, `recording ${rec.duration_ms} ms vs talk ${row.talk_ms} ms`);
    // The agent was out of the call (wrap-up) before the caller answered the survey.
    const agent = await db('agents').where({ extension: phone.extension }).first();
    const wrap = await db('agent_state_log').where({ agent_id: agent.id, interaction_id: row.id, to_state: 'wrap_up' }).first();
    assert.ok(wrap && wrap.at < surveyed.at, 'agent in wrap-up before the score came');
  });

  it('a key that is not a score is asked again; 5 then counts', async () => {
    const caller = `86202${Date.now() % 1000000}`;
    const res = await surveyedCall(caller, [{ dtmf: '9' }, { pauseMs: 1500 }, { dtmf: '5' }]);
    assert.equal(res.code, 0, 'the caller heard our BYE after the survey');
    const row = await ended(caller);
    const score = await waitFor('csat score', async () => (await db('interactions').where({ id: row.id }).first()).csat_score);
    assert.equal(score, 5);
    assert.deepEqual((await eventsOf(row.id)).filter((e) => e.type === 'survey-score').map((e) => e.data), [{ score: 5 }]);
  });

  it('a caller who hangs up during the question leaves no score and no error', async () => {
    const caller = `86203${Date.now() % 1000000}`;
    const res = await carrierCall({ did: SURVEY_DID, caller, talkMs: 0, steps: [{ pauseMs: AFTER_AGENT_MS }] });
    assert.equal(res.code, 0, 'the caller\'s own BYE was answered');
    const row = await ended(caller);
    assert.equal(row.outcome, 'answered');
    await waitFor('survey over', async () => surveyDone(row.id), 15000);
    assert.equal((await db('interactions').where({ id: row.id }).first()).csat_score, null);
    assert.ok(!(await eventsOf(row.id)).some((e) => e.type === 'survey-score'));
    assert.doesNotMatch(server.log(), /survey failed/);
  });

  it('in a queue without the survey the caller is hung up as soon as the agent hangs up', async () => {
    const caller = `86204${Date.now() % 1000000}`;
    const started = Date.now();
    const res = await carrierCall({ did: PLAIN_DID, caller, talkMs: 0, steps: [{ pauseMs: 500 }], hangupBy: 'far-end' });
    const callMs = Date.now() - started;
    assert.equal(res.code, 0, 'the caller heard our BYE');
    // Greeting, offer and the agent's 3 s; the survey's question alone would add 7 s.
    assert.ok(callMs < TALK_MS + 7000, `the call lasted ${callMs} ms: no survey`);
    const row = await ended(caller);
    assert.equal(row.outcome, 'answered');
    assert.equal(row.csat_score, null);
    assert.ok(!(await eventsOf(row.id)).some((e) => e.type === 'survey-score'));
    assert.equal(surveyDone(row.id), false);
  });
});
