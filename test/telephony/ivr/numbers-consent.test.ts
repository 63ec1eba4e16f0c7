// Numbers on real calls through Asterisk: a DID's recording-consent announcement plays
// before the queue and the call still reaches the agent and is recorded; a caller who
// presses the opt-out key during it is connected but never recorded; and a DID's target
// and a named schedule edited over the API are what the very next call follows.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { asteriskHostPath } from '../../../server/core/config.js';
import { waitFor } from '../../support/server-process.js';
import { carrierCall, type CallerStep } from '../../support/sipp.js';
import {
  api, callConnectedTo, config, db, endedRow, eventsWith, hangupLeftovers, liveState, pause, post, ready, phones, setup, teardown, types,
} from '../../support/call-control-rig.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HOURS_DID = '5557300';
const ALWAYS = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }];

async function json(method: string, path: string, body?: unknown): Promise<any> {
  const res = await api(method, path, body);
  const text = await res.text();
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A carrier call to `did` that only agent `ext` can take; resolves with its interaction id once it exists. */
async function callTo(did: string, ext: string, steps: CallerStep[] = []) {
  for (const p of phones) if (p.extension !== ext) await pause(p.extension);
  await ready(ext);
  const caller = `86137${Date.now() % 1000000}`;
  const done = carrierCall({ did, caller, talkMs: 0, steps, hangupBy: 'far-end' });
  const row = await waitFor(`interaction of ${caller}`, async () => db('interactions').where({ caller_number: caller }).first(), 20000);
  return { id: row.id as string, done };
}

describe('numbers: consent announcement and live edits on real Asterisk', { timeout: 600000 }, () => {
  let promptId: number;

  before(async () => {
    await setup();
    const tts = await json('POST', '/api/v1/ivr/prompts/tts', { text: 'This call may be recorded for quality. To opt out, press 9.', lang: 'en' });
    promptId = tts.id;
  });
  after(async () => {
    await api('PUT', `/api/v1/dids/${config.demo.did}`, { consentPrompt: null, consentOptOutKey: null });
    await teardown('cc-numbers-consent-server.log');
  });
  afterEach(hangupLeftovers);

  it('a caller hears the consent announcement first, then reaches the agent, and the talk is recorded', async () => {
    await json('PUT', `/api/v1/dids/${config.demo.did}`, { consentPrompt: promptId });
    const call = await callConnectedTo('1001');
    await sleep(2000);
    await post(`/api/v1/calls/${call.id}/hangup`);
    const row = await endedRow(call.id);
    const order = await types(call.id);
    const consent = order.indexOf('consent-announced');
    assert.ok(consent > 0, `consent-announced in ${order.join(' ')}`);
    assert.ok(consent < order.indexOf('enter-queue') && consent < order.indexOf('connect'), `announced before the queue: ${order.join(' ')}`);
    assert.ok(!order.includes('recording-off'));
    const rec = await waitFor('recording indexed', async () => db('recordings').where({ interaction_id: call.id }).first(), 30000);
    // The file starts at the answer, after the announcement: it is the talk, not the wait.
    assert.ok(Math.abs(rec.duration_ms - row.talk_ms) < 1500, `recording ${rec.duration_ms} ms vs talk ${row.talk_ms} ms`);
    await call.done;
  });

  it('a caller who presses the opt-out key during the announcement is connected but not recorded', async () => {
    await json('PUT', `/api/v1/dids/${config.demo.did}`, { consentPrompt: promptId, consentOptOutKey: '9' });
    const call = await callTo(config.demo.did, '1002', [{ pauseMs: 1500 }, { dtmf: '9' }]);
    await liveState(call.id, 'connected', 30000);
    await sleep(2000);
    await post(`/api/v1/calls/${call.id}/hangup`);
    const row = await endedRow(call.id);
    assert.equal(row.outcome, 'answered');
    const ev = await eventsWith(call.id, 'complete');
    assert.ok(ev.some((e) => e.type === 'consent-declined'), ev.map((e) => e.type).join(' '));
    assert.deepEqual(ev.find((e) => e.type === 'recording-off')?.data, { by: 'consent' });
    await sleep(5000);
    assert.equal((await db('recordings').where({ interaction_id: call.id })).length, 0, 'no recording row');
    const day = new Date(row.answered_at).toISOString().slice(0, 10).replace(/-/g, '/');
    assert.equal(existsSync(asteriskHostPath(config, `${config.asterisk.recordingsDir}/${day}/${call.id}.wav`)), false, 'no file');
    await call.done;
  });

  it('the very next call follows a DID target and a named schedule edited over the API', async () => {
    const schedule = await json('POST', '/api/v1/schedules', { name: `tel-${Date.now()}`, timezone: 'Asia/Shanghai', weekly: [], holidays: [] });
    await json('POST', '/api/v1/ivr/flows', {
      name: 'tel-hours', language: 'en', start: 'hours',
      steps: { hours: { type: 'hours', scheduleId: schedule.id, open: 'open', closed: 'closed' }, open: { type: 'queue', queue: config.demo.queue }, closed: { type: 'hangup' } },
    });
    await json('PUT', `/api/v1/dids/${HOURS_DID}`, { flow: 'tel-hours' });

    const closed = await callTo(HOURS_DID, '1001');
    await endedRow(closed.id);
    const closedSteps = (await eventsWith(closed.id, 'ivr-hangup')).filter((e) => e.type === 'ivr-step' && e.data.step === 'hours').map((e) => e.data.result);
    assert.deepEqual(closedSteps, ['closed']);
    await closed.done;

    await json('PUT', `/api/v1/schedules/${schedule.id}`, { name: schedule.name, timezone: 'Asia/Shanghai', weekly: ALWAYS, holidays: [] });
    const open = await callTo(HOURS_DID, '1001');
    await liveState(open.id, 'connected', 30000);
    assert.deepEqual((await eventsWith(open.id, 'connect')).filter((e) => e.type === 'ivr-step' && e.data.step === 'hours').map((e) => e.data.result), ['open']);
    await post(`/api/v1/calls/${open.id}/hangup`);
    await endedRow(open.id);
    await open.done;

    await json('PUT', `/api/v1/dids/${HOURS_DID}`, { queue: config.demo.queue });
    const direct = await callTo(HOURS_DID, '1002');
    await liveState(direct.id, 'connected', 30000);
    const directTypes = await types(direct.id);
    assert.ok(directTypes.includes('greeting') && !directTypes.includes('ivr-enter'), directTypes.join(' '));
    await post(`/api/v1/calls/${direct.id}/hangup`);
    await endedRow(direct.id);
    await direct.done;
  });
});
