// Callbacks with real callers, a real desk phone and a real customer phone behind the
// carrier: the exit key, the number confirmed with DTMF, the place kept, the agent rung
// first, the customer dialled through the trunk, retries after busy, and giving up.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, customerPhone, freshPort } from '../../support/sipp.js';
import { patchQueue, setSkills } from '../../support/routing-setup.js';
import { createDb } from '../../../server/core/db.js';
import { apiSession } from '../../support/api.js';

const config = testConfig();
const db = createDb(config);
const [p1] = config.phones as [typeof config.phones[0]];
const DID = '5556000';
const CUSTOMER_PORT = freshPort() + 36000;
const procs: ChildProcess[] = [];
let server: ServerHandle;
let agentId: number;
let api: Awaited<ReturnType<typeof apiSession>>;

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, any>;
const events = async (id: string) => (await db('call_events').where({ interaction_id: id }).orderBy('seq')).map((e: any) => ({ ...e, data: parse(e.data) }));
const callbackRow = (id: string, status: string, timeoutMs = 60000) => waitFor(`callback ${id} ${status}`, async () => {
  const r = await db('callbacks').where({ interaction_id: id }).first();
  return r?.status === status ? r : undefined;
}, timeoutMs);
/** Events are written behind the call (never holding it up): wait until the last one is in. */
const eventsEndingWith = async (id: string, type: string) => {
  await waitFor(`${type} event of ${id}`, async () => (await events(id)).some((e) => e.type === type), 15000);
  return events(id);
};
const interactionOf = (caller: string) => waitFor(`interaction of ${caller}`, async () => db('interactions').where({ caller_number: caller }).first(), 30000);

async function createCallback(body: Record<string, string>): Promise<{ interactionId: string }> {
  const res = await api('POST', '/api/v1/callbacks', body);
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return JSON.parse(text) as { interactionId: string };
}

/** Each test stands alone: the agent is made ready unless it already is. */
async function agentReady(): Promise<void> {
  const cur = (await (await api('GET', `/api/v1/agents/${agentId}`)).json()) as { state: string };
  if (cur.state === 'ready') return;
  const res = await api('POST', `/api/v1/agents/${agentId}/state`, { state: 'ready' });
  assert.equal(res.status, 200, await res.text());
}

/** Only one customer phone listens at a time; each test says how it behaves. */
let customer: ChildProcess | undefined;
async function customerBehaves(mode: 'answer' | 'ring' | 'busy'): Promise<void> {
  const old = customer;
  // The port must be free before the next phone binds it.
  if (old && old.exitCode === null && old.signalCode === null) await new Promise((r) => { old.once('exit', r); old.kill(); });
  customer = customerPhone(CUSTOMER_PORT, mode, 3000);
  await new Promise((r) => setTimeout(r, 300));
  procs.push(customer);
}

describe('callbacks on real Asterisk', { timeout: 400000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await patchQueue(db, config.demo.queue, {
      ringTimeoutSec: 8, wrapUpSec: 0, announceEverySec: 0, exitKey: { digit: '5', to: 'callback' },
      callback: { maxAttempts: 2, retryDelaySec: 10, ringCustomerSec: 10, expireAfterMin: 30 },
    });
    await db('queues').insert({ name: 'once', ring_timeout_s: 8, wrap_up_s: 0, config: JSON.stringify({
      skill: 'support', minLevel: 1, strategy: 'longest_idle', maxMisses: 2, announceEverySec: 0, serviceLevelSec: 20, overflow: [], priority: {},
      callback: { maxAttempts: 1, retryDelaySec: 10, ringCustomerSec: 10, expireAfterMin: 30 },
    }) });
    const { id: queueId } = await db('queues').where({ name: config.demo.queue }).first('id');
    await db('dids').insert({ number: DID, queue_id: queueId });
    agentId = await setSkills(db, p1.extension, { support: 3 });
    server = startServer({ CC__DEMO__READY_AGENTS: '[]', CC__TRUNK__OUTBOUND: `127.0.0.2:${CUSTOMER_PORT}` });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    const port = freshPort() + 34000;
    procs.push(startPhone(port, 'answer'));
    await registerPhone({ extension: p1.extension, password: p1.password, contactPort: port });
    api = await apiSession(config.demo.adminUser, 'test-admin-password');
  });

  after(async () => {
    for (const p of procs) p.kill();
    await server?.stop();
    // Kept for whoever reads a failure: the server's own account of the calls.
    writeFileSync(join(tmpdir(), 'cc-callbacks-server.log'), server?.log() ?? '');
    await db.destroy();
  });

  it('a waiting caller presses the exit key, confirms its number, keeps its place; the agent is rung first, then the customer', async () => {
    await customerBehaves('answer');
    const a = `86170${Date.now() % 1000000}`;
    const b = `86171${Date.now() % 1000000}`;
    // Nobody is ready: A waits, asks for a callback and confirms the caller id with 1.
    const callA = carrierCall({ did: DID, caller: a, talkMs: 0, hangupBy: 'far-end', steps: [{ pauseMs: 5000 }, { dtmf: '5' }, { pauseMs: 3000 }, { dtmf: '1' }] });
    const rowA = await interactionOf(a);
    await callbackRow(rowA.id, 'waiting', 40000);
    const resA = await callA;
    assert.equal(resA.code, 0, `A heard the goodbye and our app hung up: ${resA.stderr.slice(-300)}`);
    // B arrives after A asked: A's callback must still come first.
    const callB = carrierCall({ did: DID, caller: b, talkMs: 0, steps: [{ pauseMs: 30000 }] });
    await waitFor('B waiting', async () => (await db('interactions').where({ caller_number: b }).whereNotNull('queued_at').first()) !== undefined, 20000);
    const ready = await api('POST', `/api/v1/agents/${agentId}/state`, { state: 'ready' });
    assert.equal(ready.status, 200, await ready.text());

    const cb = await callbackRow(rowA.id, 'completed', 60000);
    assert.equal(cb.number, a, 'the confirmed number is the caller id');
    assert.equal(cb.attempts, 1);
    assert.equal(cb.agent_id, agentId);
    assert.ok(cb.talk_ms >= 2000, `talked ${cb.talk_ms} ms`);
    const endedA = await db('interactions').where({ id: rowA.id }).first();
    assert.equal(endedA.outcome, 'callback-requested');

    const evA = await eventsEndingWith(rowA.id, 'callback-complete');
    const typesA = evA.map((e) => e.type);
    const from = typesA.indexOf('exit-key');
    assert.ok(from > 0, typesA.join(','));
    assert.deepEqual(typesA.slice(from).filter((t) => t.startsWith('callback-') || t === 'exit-key' || t === 'end'),
      ['exit-key', 'callback-request', 'end', 'callback-offer', 'callback-dial', 'callback-connect', 'callback-complete']);
    assert.equal(evA.find((e) => e.type === 'callback-request')?.data.number, a);
    const at = (t: string) => new Date(evA.find((e) => e.type === t)!.at).getTime();
    assert.ok(at('callback-offer') <= at('callback-dial'), 'the agent is offered the callback before the customer is dialled');

    await callB;
    // The caller's sipp ends with its BYE; the server closes the interaction a moment later.
    const rowB = await waitFor('B closed', async () => {
      const r = await db('interactions').where({ caller_number: b }).first();
      return r?.ended_at ? r : undefined;
    }, 20000);
    assert.equal(rowB.outcome, 'answered', 'B is answered after the callback');
    const connectB = (await eventsEndingWith(rowB.id, 'complete')).find((e) => e.type === 'connect');
    assert.ok(new Date(connectB!.at).getTime() >= at('callback-connect'), 'the callback (earlier place) went first');
    const rec = await waitFor('callback recording indexed', async () => db('recordings').where({ interaction_id: rowA.id }).first(), 15000);
    assert.ok(rec.size_bytes > 0);
  });

  it('a busy customer is tried again after the retry delay and answers the second time', async () => {
    await customerBehaves('busy');
    await agentReady();
    // An international number: dialled only because a dial rule allows it (toll-fraud protection).
    const rule = await api('POST', '/api/v1/dial-rules', { prefix: '001', action: 'allow', label: 'North America' });
    assert.ok(rule.status === 201 || rule.status === 409, await rule.text());
    const { interactionId } = await createCallback({ queue: config.demo.queue, number: '+1 555 700 2000' });
    await waitFor('first attempt busy', async () => (await events(interactionId)).some((e) => e.type === 'callback-retry'), 30000);
    const retryRow = await db('callbacks').where({ interaction_id: interactionId }).first();
    assert.equal(retryRow.status, 'scheduled');
    assert.equal(retryRow.last_result, 'busy');
    assert.ok(retryRow.next_attempt_at, 'next attempt time recorded');
    await customerBehaves('answer');
    const done = await callbackRow(interactionId, 'completed', 60000);
    assert.equal(done.attempts, 2);
    assert.equal(done.number, '+15557002000');
    const types = (await eventsEndingWith(interactionId, 'callback-complete')).map((e) => `${e.type}${e.data?.attempt ? `#${e.data.attempt}` : ''}`);
    assert.deepEqual(types, ['callback-request', 'callback-offer#1', 'callback-dial#1', 'callback-no-answer#1', 'callback-retry#1',
      'callback-offer#2', 'callback-dial#2', 'callback-connect#2', 'callback-complete']);
    const agent = await api('GET', `/api/v1/agents/${agentId}`);
    assert.equal(((await agent.json()) as { state: string }).state, 'ready', 'the agent is free again');
  });

  it('a customer who never answers is given up after the last attempt, and the agent is freed', async () => {
    await customerBehaves('ring');
    await agentReady();
    const { interactionId } = await createCallback({ queue: 'once', number: '5557003' });
    const failed = await callbackRow(interactionId, 'failed', 60000);
    assert.equal(failed.attempts, 1);
    assert.equal(failed.last_result, 'no-answer');
    const types = (await eventsEndingWith(interactionId, 'callback-failed')).map((e) => e.type);
    assert.deepEqual(types.slice(-2), ['callback-no-answer', 'callback-failed']);
    await waitFor('agent ready again', async () => ((await (await api('GET', `/api/v1/agents/${agentId}`)).json()) as { state: string }).state === 'ready', 10000);
  });
});
