// GET /api/v1/exports/queue_log against real MariaDB: calls and agent states written as the
// ACD writes them, read back as queue_log lines.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
const DAY = '2026-03-02';
const at = (hms: string) => new Date(`${DAY}T${hms}Z`);
const epoch = (hms: string) => at(hms).getTime() / 1000;
const ANSWERED = randomUUID();
const ABANDONED = randomUUID();
const EARLY = randomUUID();
let agentId: number;
let agentNumber: string;

async function call(id: string, entered: string, ended: string, events: Array<[string, string, Record<string, unknown>, boolean?]>): Promise<void> {
  await h.app.db('interactions').insert({ id, direction: 'inbound', caller_number: '8613900000009', did: '5551000', entered_at: at(entered), ended_at: at(ended) });
  let seq = 0;
  for (const [time, type, data, byAgent] of events) {
    await h.app.db('call_events').insert({ interaction_id: id, seq: ++seq, type, at: at(time), queue: 'support', agent_id: byAgent ? agentId : null, data: JSON.stringify(data) });
  }
}

const get = (query: string, cookie = h.cookie) => h.app.inject({ method: 'GET', url: `/api/v1/exports/queue_log?${query}`, headers: { cookie, accept: 'application/json' } });
const range = (from: string, to: string) => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

describe('the queue_log export', () => {
  before(async () => {
    h = await routingHarness();
    const agent = await h.app.db('agents').orderBy('id').first();
    agentId = agent.id;
    agentNumber = agent.number;
    await call(ANSWERED, '09:00:00', '09:02:00', [
      ['09:00:00', 'enter', { did: '5551000' }],
      ['09:00:02', 'enter-queue', { priority: 0, score: 1, position: 1 }],
      ['09:00:05', 'offer', { attempt: 1 }, true],
      ['09:00:08', 'connect', { waitMs: 6000 }, true],
      ['09:02:00', 'complete', { by: 'agent', outcome: 'answered' }, true],
    ]);
    await call(ABANDONED, '09:10:00', '09:10:30', [
      ['09:10:00', 'enter-queue', { position: 2 }],
      ['09:10:30', 'abandon', { by: 'caller', outcome: 'abandoned', waitMs: 30000, position: 1 }],
    ]);
    // Entered before the export's start, answered inside it.
    await call(EARLY, '07:59:50', '08:05:00', [
      ['07:59:50', 'enter-queue', { position: 1 }],
      ['08:00:10', 'connect', { waitMs: 20000 }, true],
      ['08:05:00', 'complete', { by: 'caller', outcome: 'answered' }, true],
    ]);
    const state = (seq: number, time: string, from: string, to: string, reason: string | null = null) =>
      ({ agent_id: agentId, seq, from_state: from, to_state: to, reason, phone: agentNumber, at: at(time) });
    await h.app.db('agent_state_log').insert([
      state(1, '07:30:00', 'logged_out', 'ready'),
      state(2, '09:05:00', 'ready', 'paused', 'lunch'),
      state(3, '09:08:00', 'paused', 'ready'),
    ]);
  });

  after(async () => {
    await h?.close();
  });

  it('writes the period\'s calls and pauses as app_queue lines, oldest first, as a text download', async () => {
    const res = await get(range(`${DAY}T08:00:00Z`, `${DAY}T10:00:00Z`));
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/plain; charset=utf-8/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="queue_log-2026-03-02\.txt"/);
    const A = `Agent/${agentNumber}`;
    assert.deepEqual(res.body.trimEnd().split('\n'), [
      `${epoch('08:00:10')}|${EARLY}|support|${A}|CONNECT|20||`,
      `${epoch('08:05:00')}|${EARLY}|support|${A}|COMPLETECALLER|20|290|1`,
      `${epoch('09:00:02')}|${ANSWERED}|support|NONE|ENTERQUEUE||8613900000009|1`,
      `${epoch('09:00:08')}|${ANSWERED}|support|${A}|CONNECT|6||3`,
      `${epoch('09:02:00')}|${ANSWERED}|support|${A}|COMPLETEAGENT|6|112|1`,
      `${epoch('09:05:00')}|NONE|NONE|${A}|PAUSE|lunch`,
      `${epoch('09:08:00')}|NONE|NONE|${A}|UNPAUSE|lunch`,
      `${epoch('09:10:00')}|${ABANDONED}|support|NONE|ENTERQUEUE||8613900000009|2`,
      `${epoch('09:10:30')}|${ABANDONED}|support|NONE|ABANDON|1|2|30`,
    ]);
  });

  it('includes the start and excludes the end, and a period with no calls is empty', async () => {
    const one = await get(range(`${DAY}T09:10:00Z`, `${DAY}T09:10:30Z`));
    assert.deepEqual(one.body.trimEnd().split('\n').map((l) => l.split('|')[4]), ['ENTERQUEUE']);
    const none = await get(range('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z'));
    assert.equal(none.statusCode, 200);
    assert.equal(none.body, '');
  });

  it('refuses a reversed, empty, absurd or malformed range with a clear 400', async () => {
    const reversed = await get(range(`${DAY}T10:00:00Z`, `${DAY}T08:00:00Z`));
    assert.equal(reversed.statusCode, 400);
    assert.equal(reversed.json().error.code, 'invalid-range');
    assert.match(reversed.json().error.message, /must be after from/);
    assert.equal((await get(range(`${DAY}T10:00:00Z`, `${DAY}T10:00:00Z`))).json().error.code, 'invalid-range');
    const ancient = await get(range('1970-01-01T00:00:00Z', '1970-01-02T00:00:00Z'));
    assert.equal(ancient.json().error.code, 'invalid-range');
    const decade = await get(range('2016-01-01T00:00:00Z', '2026-01-01T00:00:00Z'));
    assert.equal(decade.statusCode, 400);
    assert.match(decade.json().error.message, /at most 366 days/);
    const impossible = await get(range('2026-02-30T00:00:00Z', '2026-03-01T00:00:00Z'));
    assert.equal(impossible.statusCode, 400);
    assert.equal((await get('from=yesterday&to=today')).statusCode, 400);
    assert.equal((await get(`from=${encodeURIComponent(`${DAY}T08:00:00Z`)}`)).statusCode, 400, 'to is required');
  });

  it('is for admins, supervisors and report viewers', async () => {
    const q = range(`${DAY}T08:00:00Z`, `${DAY}T10:00:00Z`);
    for (const role of ['supervisor', 'reports'] as const) assert.equal((await get(q, await h.signInAs(role))).statusCode, 200, role);
    for (const role of ['agent', 'quality'] as const) assert.equal((await get(q, await h.signInAs(role))).statusCode, 403, role);
    assert.equal((await h.app.inject({ method: 'GET', url: `/api/v1/exports/queue_log?${q}`, headers: { accept: 'application/json' } })).statusCode, 401);
  });

  it('is documented in the OpenAPI description', async () => {
    const spec = (await h.app.inject({ method: 'GET', url: '/api/docs/json', headers: { cookie: h.cookie } })).json();
    assert.ok(spec.paths['/api/v1/exports/queue_log']?.get, Object.keys(spec.paths ?? {}).slice(0, 5).join(' '));
  });
});
