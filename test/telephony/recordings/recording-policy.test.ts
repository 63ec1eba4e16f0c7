// The recording policy on real calls through Asterisk: a recording started at the answer
// follows the caller through a blind transfer to a second agent (one file, indexed once,
// longer than the first agent's part); a queue with recording off and a DID with
// recording off leave no file and no row, and say so in the call events.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { asteriskHostPath } from '../../../server/core/config.js';
import { waitFor } from '../../support/server-process.js';
import { patchQueue } from '../../support/routing-setup.js';
import {
  agentId, api, callConnectedTo, config, db, endedRow, eventsWith, hangupLeftovers, liveState, post, ready, setup, teardown,
} from '../../support/call-control-rig.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where the call's recording would be, had it been made (recordings/recording-service.ts pathFor). */
function wouldBeFile(id: string, answeredAt: Date): string {
  const day = answeredAt.toISOString().slice(0, 10).replace(/-/g, '/');
  return asteriskHostPath(config, `${config.asterisk.recordingsDir}/${day}/${id}.wav`);
}

/** Ends a call from the page and checks it left neither a recording row nor a file. */
async function assertNotRecorded(id: string, by: 'did' | 'queue'): Promise<void> {
  await post(`/api/v1/calls/${id}/hangup`);
  const row = await endedRow(id);
  assert.equal(row.outcome, 'answered');
  const ev = await eventsWith(id, 'complete');
  const off = ev.find((e) => e.type === 'recording-off');
  assert.ok(off, `a recording-off event in ${ev.map((e) => e.type).join(' ')}`);
  assert.deepEqual(off.data, { by });
  // Indexing waits for the file to stop growing (about a second): give it ample time.
  await sleep(5000);
  assert.equal((await db('recordings').where({ interaction_id: id })).length, 0, 'no recording row');
  assert.equal(existsSync(wouldBeFile(id, row.answered_at)), false, 'no file on disk');
}

describe('recording policy on real Asterisk', { timeout: 600000 }, () => {
  before(setup);
  after(() => teardown('cc-recording-policy-server.log'));
  afterEach(hangupLeftovers);

  it('a blind transfer from one agent to another keeps one recording for the whole call, indexed once', async () => {
    const call = await callConnectedTo('1001');
    const connectedAt = Date.now();
    await ready('1002');
    await sleep(4000);
    const aPartMs = Date.now() - connectedAt;
    await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'blind', target: { type: 'agent', agent: '1002' } });
    const h = await liveState(call.id, 'connected');
    assert.equal(Number(h.agentId), agentId('1002'));
    await sleep(4000);
    await post(`/api/v1/calls/${call.id}/hangup`);
    const row = await endedRow(call.id);
    const rec = await waitFor('recording indexed', async () => db('recordings').where({ interaction_id: call.id }).first(), 30000);
    await sleep(3000);
    const recs = await db('recordings').where({ interaction_id: call.id });
    assert.equal(recs.length, 1, 'indexed once');
    assert.ok(rec.duration_ms > aPartMs + 2000, `recording ${rec.duration_ms} ms runs past the first agent's ${aPartMs} ms`);
    assert.ok(Math.abs(rec.duration_ms - row.talk_ms) < 1500, `recording ${rec.duration_ms} ms vs talk ${row.talk_ms} ms`);
    const file = asteriskHostPath(config, rec.path);
    assert.equal(statSync(file).size, Number(rec.size_bytes), 'the indexed file is on disk');
    const ev = await eventsWith(call.id, 'complete');
    assert.equal(ev.filter((e) => e.type === 'recording-off').length, 0);
    await call.done;
  });

  it('a queue with recording off answers its calls without recording them', async () => {
    await patchQueue(db, config.demo.queue, { recording: false });
    try {
      // The ACD reads queue settings from a cache refreshed every 5 s.
      await sleep(6000);
      const call = await callConnectedTo('1001');
      await sleep(2000);
      await assertNotRecorded(call.id, 'queue');
      await call.done;
    } finally {
      await patchQueue(db, config.demo.queue, { recording: true });
    }
  });

  it('a DID with recording off is never recorded, whatever its queue says', async () => {
    await sleep(6000);
    const off = await api('PUT', `/api/v1/dids/${config.demo.did}`, { recording: false });
    assert.equal(off.status, 200, await off.text());
    try {
      const call = await callConnectedTo('1002');
      await sleep(2000);
      await assertNotRecorded(call.id, 'did');
      await call.done;
    } finally {
      await api('PUT', `/api/v1/dids/${config.demo.did}`, { recording: true });
    }
  });
});
