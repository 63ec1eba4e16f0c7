// A queue's own rules before a caller waits: nobody logged in for its skill sends the
// caller to voicemail; a queue already holding its limit refuses the next caller.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { carrierCall } from '../../support/sipp.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const NOBODY_DID = '5559201';
const TINY_DID = '5559202';
let server: ServerHandle;

const ended = (caller: string) => waitFor(`interaction of ${caller} ended`, async () => {
  const r = await db('interactions').where({ caller_number: caller }).first();
  return r?.ended_at ? r : undefined;
}, 60000);
const eventsOf = async (id: string) => (await db('call_events').where({ interaction_id: id }).orderBy('seq'))
  .map((e: { type: string; data: unknown }) => ({ type: e.type, data: (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as Record<string, unknown> }));

async function queueWithDid(name: string, did: string, config: Record<string, unknown>): Promise<void> {
  const [id] = await db('queues').insert({ name, ring_timeout_s: 10, wrap_up_s: 0, config: JSON.stringify({
    strategy: 'longest_idle', minLevel: 1, maxMisses: 2, announceEverySec: 0, serviceLevelSec: 20, overflow: [], priority: {}, ...config,
  }) });
  await db('dids').insert({ number: did, queue_id: id });
}

describe('queue diversions on real Asterisk', { timeout: 240000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await queueWithDid('nobody', NOBODY_DID, { skill: 'nobody-has-this', whenNoAgents: { type: 'voicemail', mailbox: '100' } });
    await queueWithDid('tiny', TINY_DID, { skill: 'support', maxWaiting: 1, whenFull: { type: 'hangup' } });
    server = startServer({ CC__DEMO__READY_AGENTS: '[]' });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
  });

  after(async () => {
    await server?.stop();
    await db.destroy();
  });

  it('with nobody logged in holding the skill, the caller goes to voicemail instead of waiting', async () => {
    const caller = `86195${Date.now() % 1000000}`;
    await carrierCall({ did: NOBODY_DID, caller, talkMs: 6000 });
    const row = await ended(caller);
    assert.equal(row.outcome, 'voicemail');
    assert.equal(row.queued_at, null, 'never queued');
    const evs = await eventsOf(row.id);
    assert.deepEqual(evs.find((e) => e.type === 'divert')?.data, { type: 'voicemail', mailbox: '100' });
    assert.ok(!evs.some((e) => e.type === 'enter-queue'));
  });

  it('a queue at its limit refuses the next caller, recorded as refused, not as abandoned', async () => {
    const first = `86196${Date.now() % 1000000}`;
    const second = `86197${Date.now() % 1000000}`;
    const waiting = carrierCall({ did: TINY_DID, caller: first, talkMs: 0, steps: [{ pauseMs: 12000 }] });
    await waitFor('first caller queued', async () => (await db('interactions').where({ caller_number: first }).whereNotNull('queued_at').first()) !== undefined, 20000);
    await carrierCall({ did: TINY_DID, caller: second, talkMs: 0, hangupBy: 'far-end', steps: [{ pauseMs: 500 }] });
    const refused = await ended(second);
    assert.equal(refused.outcome, 'diverted-hangup');
    assert.deepEqual((await eventsOf(refused.id)).find((e) => e.type === 'divert')?.data, { type: 'hangup' });
    await waiting;
    assert.equal((await ended(first)).outcome, 'abandoned', 'the first caller waited and gave up');
  });
});
