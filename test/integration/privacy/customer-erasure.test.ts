// A customer's export and erasure (issue 6, PIPL) against real MariaDB and recording files
// on disk: the export holds every kind of data seeded; bad requests change nothing; the
// erasure deletes the customer, numbers, notes and recording files, anonymises their calls
// (kept for the counts, repeat callers still grouped) and leaves another customer alone;
// both are in the audit log with counts, never the data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
let agentCookie: string;
const A = { number: '+8613812345678', name: 'Erase Me', id: 0, calls: [] as string[], files: [] as string[], recordings: [] as number[] };
const B = { number: '+8613987654321', name: 'Keep Me', id: 0, calls: [] as string[], files: [] as string[], recordings: [] as number[] };
const DAY = '2026/04/01';

const post = (url: string, body: unknown, cookie?: string) =>
  cookie
    ? h.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
    : h.api('POST', url, body);
const jsonOf = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;

async function auditRows(action: string) {
  for (let i = 0; i < 50; i++) {
    const rows = await h.app.db('audit_log').where({ action });
    if (rows.length) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

/** A call from `number` (filed under the customer when `customerId`), with events, a wrap-up, a survey score and a recording on disk. */
async function seedCall(who: typeof A, number: string, o: { linked: boolean; minute: number }) {
  const id = randomUUID();
  const at = new Date(`2026-04-01T09:${String(o.minute).padStart(2, '0')}:00Z`);
  await h.app.db('interactions').insert({
    id, direction: 'inbound', caller_number: number, caller_name: `${who.name} CLI`, queue: 'support', entered_at: at, answered_at: at, ended_at: at,
    outcome: 'answered', talk_ms: 60000, customer_id: o.linked ? who.id : null, wrap_note: h.app.fieldCipher.seal(`note about ${who.name}`, 'interactions.wrap_note'), disposition: 'sale', csat_score: 5,
    ivr_path: JSON.stringify([{ flow: 'main', step: 'account', input: '987654' }]), linkedid: `lk-${id}`,
  });
  await h.app.db('call_events').insert([
    { interaction_id: id, seq: 1, type: 'enter-queue', at, queue: 'support', data: JSON.stringify({ callerNumber: number }) },
    { interaction_id: id, seq: 2, type: 'connect', at, queue: 'support', data: JSON.stringify({ number, agent: 1 }) },
  ]);
  await h.app.db('cdrs').insert({ uniqueid: `u-${id}`, sequence: 1, linkedid: `lk-${id}`, src: number, dst: '4000', clid: `"${who.name}" <${number}>`, source: 'ami' });
  const dir = h.config.asterisk.recordingsDir;
  mkdirSync(join(h.config.asterisk.root, dir, DAY), { recursive: true });
  const host = join(h.config.asterisk.root, dir, DAY, `${id}.wav`);
  writeFileSync(host, Buffer.from('RIFF fake audio'));
  const [rec] = await h.app.db('recordings').insert({ interaction_id: id, path: `${dir}/${DAY}/${id}.wav`, size_bytes: 15, duration_ms: 60000, sha256: 'a'.repeat(64), started_at: at });
  who.calls.push(id);
  who.files.push(host);
  who.recordings.push(Number(rec));
  return id;
}

async function seedCustomer(who: typeof A, minute: number) {
  const res = await post('/api/v1/customers', { name: who.name, numbers: [who.number], notes: 'standing remark' });
  assert.equal(res.statusCode, 201, res.body);
  who.id = res.json().id;
  assert.equal((await post(`/api/v1/customers/${who.id}/notes`, { text: `dated note for ${who.name}` })).statusCode, 201);
  await seedCall(who, who.number, { linked: true, minute });
  // Before the customer existed: from their number, in the form the trunk delivered, not filed under them.
  await seedCall(who, who.number.slice(1), { linked: false, minute: minute + 1 });
  await h.app.db('callbacks').insert({ interaction_id: randomUUID(), queue: 'support', number: who.number, did: '', source: 'caller', status: 'completed', attempts: 1, requested_at: new Date(), expires_at: new Date() });
}

const countsOf = async (who: typeof A) => ({
  customers: (await h.app.db('customers').where({ id: who.id })).length,
  numbers: (await h.app.db('customer_numbers').where({ customer_id: who.id })).length,
  notes: (await h.app.db('customer_notes').where({ customer_id: who.id })).length,
  named: (await h.app.db('interactions').whereIn('id', who.calls).whereNotNull('caller_name')).length,
  liveRecordings: (await h.app.db('recordings').whereIn('id', who.recordings).whereNull('deleted_at')).length,
  files: who.files.filter((f) => existsSync(f)).length,
});

describe('customer export and erasure', () => {
  before(async () => {
    h = await routingHarness();
    agentCookie = await h.signInAs('agent');
    await seedCustomer(A, 0);
    await seedCustomer(B, 10);
  });

  after(async () => {
    await h.app.db('cdrs').where('linkedid', 'like', 'lk-%').delete();
    await h?.close();
  });

  it('exports the customer, numbers, notes, interactions, call events, wrap-up, callbacks, survey scores and recordings, and audits it', async () => {
    const res = await post(`/api/v1/customers/${A.id}/export`, {});
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-disposition']), new RegExp(`attachment; filename="customer-${A.id}-`));
    const doc = res.json();
    assert.equal(doc.customer.name, A.name);
    assert.deepEqual(doc.customer.numbers, [A.number]);
    assert.deepEqual(doc.notes.map((n: { text: string }) => n.text), [`dated note for ${A.name}`]);
    assert.deepEqual(doc.interactions.map((i: { id: string }) => i.id).sort(), [...A.calls].sort(), 'the linked call and the one from their number before they were a customer');
    assert.ok(doc.interactions.every((i: { wrapNote: string; surveyScore: number; disposition: string }) => i.wrapNote === `note about ${A.name}` && i.surveyScore === 5 && i.disposition === 'sale'));
    assert.equal(doc.callEvents.length, 4);
    assert.equal(doc.callbacks.length, 1);
    assert.equal(doc.callbacks[0].number, A.number);
    assert.deepEqual(doc.recordings.map((r: { id: number }) => r.id).sort(), [...A.recordings].sort());
    assert.ok(!JSON.stringify(doc).includes(B.name) && !JSON.stringify(doc).includes(B.number.slice(3)), 'nothing about the other customer');
    const [audit] = await auditRows('customer.export');
    assert.equal(audit.target_type, 'customer');
    assert.equal(audit.target_id, String(A.id));
    assert.deepEqual(jsonOf(audit.after_json), { notes: 1, numbers: 1, interactions: 2, callEvents: 4, callbacks: 1, recordings: 2, sensitiveRead: true });
  });

  it('refuses bad requests and changes nothing: unknown customer 404, wrong confirmation 400, no body 422, an agent 403', async () => {
    const before = await countsOf(A);
    assert.equal((await post('/api/v1/customers/999999/erase', { confirm: A.name })).statusCode, 404);
    assert.equal((await post('/api/v1/customers/999999/export', {})).statusCode, 404);
    const wrong = await post(`/api/v1/customers/${A.id}/erase`, { confirm: 'Erase Me please' });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error.code, 'confirmation-mismatch');
    assert.equal((await post(`/api/v1/customers/${A.id}/erase`, { confirm: 42 })).statusCode, 422);
    assert.equal((await post(`/api/v1/customers/${A.id}/erase`, { confirm: A.name, also: 1 })).statusCode, 422);
    assert.equal((await post(`/api/v1/customers/${A.id}/erase`, { confirm: A.name }, agentCookie)).statusCode, 403);
    assert.equal((await post(`/api/v1/customers/${A.id}/export`, {}, agentCookie)).statusCode, 403);
    assert.deepEqual(await countsOf(A), before);
    assert.equal(before.files, 2);
  });

  it('waits for a callback that may still dial the number: 409, nothing changed', async () => {
    const cb = randomUUID();
    await h.app.db('callbacks').insert({ interaction_id: cb, queue: 'support', number: A.number, did: '', source: 'api', status: 'scheduled', attempts: 0, requested_at: new Date(), expires_at: new Date() });
    const before = await countsOf(A);
    const res = await post(`/api/v1/customers/${A.id}/erase`, { confirm: A.name });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, 'callback-pending');
    assert.deepEqual(await countsOf(A), before);
    await h.app.db('callbacks').where({ interaction_id: cb }).update({ status: 'cancelled' });
  });

  it('erases the customer: rows and files gone, calls kept without number, name or notes, repeat callers still grouped, the other customer untouched', async () => {
    const keysBefore = await h.app.db('interactions').whereIn('id', A.calls).select('id', 'caller_key');
    const bBefore = await countsOf(B);
    const res = await post(`/api/v1/customers/${A.id}/erase`, { confirm: ` ${A.name} ` });
    assert.equal(res.statusCode, 200, res.body);
    const result = res.json();
    assert.deepEqual(result.deleted, { customer: 1, numbers: 1, notes: 1, recordings: 2 });
    assert.equal(result.anonymised.interactions, 2);
    assert.equal(result.anonymised.callbacks, 2);
    assert.equal(result.anonymised.cdrs, 2);
    assert.deepEqual(result.files, { deleted: 2, missing: 0, failed: [] });
    assert.deepEqual(await countsOf(A), { customers: 0, numbers: 0, notes: 0, named: 0, liveRecordings: 0, files: 0 });
    const calls = await h.app.db('interactions').whereIn('id', A.calls).select('*');
    assert.equal(calls.length, 2, 'the calls stay, so the KPI counts do');
    for (const c of calls) {
      assert.match(c.caller_number, /^erased-[0-9]{16}$/);
      assert.equal(c.wrap_note, null);
      assert.equal(c.ivr_path, null);
      assert.equal(c.customer_id, null);
      assert.equal(c.csat_score, 5, 'the survey score is a count, not about the person');
      assert.equal(c.outcome, 'answered');
      const was = keysBefore.find((k) => k.id === c.id)?.caller_key;
      assert.notEqual(c.caller_key, was);
    }
    // +86... and 86... had one digits key: they still share one, so FCR repeats count the same.
    assert.equal(new Set(keysBefore.map((k) => k.caller_key)).size, 1);
    assert.equal(new Set(calls.map((c) => c.caller_key)).size, 1);
    const events = await h.app.db('call_events').whereIn('interaction_id', A.calls);
    assert.equal(events.length, 4);
    assert.ok(events.every((e) => !String(e.data).includes('13812345678')));
    const cdrs = await h.app.db('cdrs').whereIn('linkedid', A.calls.map((id) => `lk-${id}`));
    assert.ok(cdrs.every((c) => c.src === 'erased' && c.clid === null && c.dst === '4000'));
    assert.equal((await h.app.db('callbacks').where({ number: A.number })).length, 0);
    const recs = await h.app.db('recordings').whereIn('id', A.recordings);
    assert.ok(recs.every((r) => r.deleted_reason === 'erased' && r.deleted_at));
    assert.deepEqual(await countsOf(B), bBefore);
    assert.equal(bBefore.files, 2);
    assert.equal((await h.app.db('callbacks').where({ number: B.number })).length, 1);
  });

  it('audits the erasure with who, which customer and counts, never the name or number', async () => {
    const [row] = await auditRows('customer.erase');
    assert.equal(row.target_type, 'customer');
    assert.equal(row.target_id, String(A.id));
    assert.equal(row.actor_username, 'routing-admin');
    const after = jsonOf(row.after_json);
    assert.deepEqual(after.deleted, { customer: 1, numbers: 1, notes: 1, recordings: 2 });
    const text = JSON.stringify(row);
    assert.ok(!text.includes(A.name) && !text.includes('13812345678'), text);
  });

  it('an erased customer is gone: 404 for the page, the API, a second erasure and an export', async () => {
    assert.equal((await h.api('GET', `/api/v1/customers/${A.id}`)).statusCode, 404);
    assert.equal((await post(`/api/v1/customers/${A.id}/erase`, { confirm: A.name })).statusCode, 404);
    assert.equal((await post(`/api/v1/customers/${A.id}/export`, {})).statusCode, 404);
  });
});
