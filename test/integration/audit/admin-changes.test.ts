// Every admin change lands in the append-only audit log with who, when, what, and the target
// before and after, whichever way it was made (API or page form), and a refused change
// leaves no row.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
type Row = { action: string; actorUsername: string; targetType: string; targetId: string; before: Record<string, any> | null; after: Record<string, any> | null; ip: string | null };

async function auditOf(targetType: string, targetId: string): Promise<Row[]> {
  const res = await h.api('GET', `/api/v1/audit?targetType=${targetType}&targetId=${encodeURIComponent(targetId)}`);
  assert.equal(res.statusCode, 200);
  await h.app.outbox.flush();
  const again = await h.api('GET', `/api/v1/audit?targetType=${targetType}&targetId=${encodeURIComponent(targetId)}`);
  const body = again.json() as { items?: Row[] } | Row[];
  return (Array.isArray(body) ? body : body.items ?? []).slice().reverse();
}

describe('audit of admin changes', () => {
  before(async () => {
    h = await routingHarness();
  });

  after(async () => {
    await h?.close();
  });

  it('a queue created, changed and deleted through the API leaves three rows with the state before and after', async () => {
    assert.equal((await h.api('POST', '/api/v1/queues', { name: 'audited', skill: 'support', strategy: 'longest_idle', priority: {} })).statusCode, 201);
    const put = await h.api('PUT', '/api/v1/queues/audited', { name: 'audited', skill: 'support', strategy: 'longest_idle', priority: {}, serviceLevelSec: 30 });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal((await h.api('DELETE', '/api/v1/queues/audited')).statusCode, 204);
    const rows = await auditOf('queue', 'audited');
    assert.deepEqual(rows.map((r) => r.action), ['queue.create', 'queue.update', 'queue.delete']);
    for (const r of rows) assert.equal(r.actorUsername, 'routing-admin');
    const [created, updated, deleted] = rows as [Row, Row, Row];
    assert.equal(created.before, null);
    assert.equal(created.after?.name, 'audited');
    assert.notEqual(updated.before?.serviceLevelSec, 30);
    assert.equal(updated.after?.serviceLevelSec, 30);
    assert.equal(deleted.before?.name, 'audited');
    assert.equal(deleted.after, null);
    assert.ok(created.ip, 'the client address is kept');
  });

  it('a pause reason and a disposition changed by the admin are audited too', async () => {
    const reason = await h.api('POST', '/api/v1/pause-reasons', { name: 'coach', code: '77', label: 'Coaching', paid: true });
    assert.equal(reason.statusCode, 201, reason.body);
    const id = String(reason.json().id);
    assert.equal((await h.api('PUT', `/api/v1/pause-reasons/${id}`, { name: 'coach', code: '77', label: 'Coaching session', paid: false })).statusCode, 200);
    const rows = await auditOf('pause-reason', id);
    assert.deepEqual(rows.map((r) => r.action), ['pause-reason.create', 'pause-reason.update']);
    assert.equal(rows[1]?.before?.paid, true);
    assert.equal(rows[1]?.after?.paid, false);
    const disp = await h.api('POST', '/api/v1/dispositions', { code: 'sold', label: 'Sold' });
    assert.deepEqual((await auditOf('disposition', String(disp.json().id))).map((r) => r.action), ['disposition.create']);
  });

  it('a queue deleted from the admin page (a form post) is audited with the same detail', async () => {
    await h.app.queues.create({ name: 'formq', skill: 'support', strategy: 'longest_idle', priority: {} });
    const res = await h.app.inject({
      method: 'POST', url: '/admin/queues/formq/delete',
      headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: h.csrf }).toString(),
    });
    assert.equal(res.statusCode, 303, res.body);
    const rows = await auditOf('queue', 'formq');
    assert.deepEqual(rows.map((r) => [r.action, r.actorUsername]), [['queue.create', 'system'], ['queue.delete', 'routing-admin']]);
    assert.equal(rows[1]?.before?.name, 'formq');
  });

  it('a refused change (bad body, unknown target) writes no audit row', async () => {
    assert.equal((await h.api('POST', '/api/v1/queues', { name: 'bad name!' })).statusCode >= 400, true);
    assert.equal((await h.api('DELETE', '/api/v1/queues/no-such-queue')).statusCode, 404);
    assert.deepEqual(await auditOf('queue', 'no-such-queue'), []);
    assert.deepEqual(await auditOf('queue', 'bad name!'), []);
  });

  it('a change made outside any request (a script, a job) is recorded as the system', async () => {
    await h.app.queues.create({ name: 'scripted', skill: 'support', strategy: 'longest_idle', priority: {} });
    const rows = await auditOf('queue', 'scripted');
    assert.equal(rows[0]?.actorUsername, 'system');
  });
});
