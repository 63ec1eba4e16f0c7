// Named business hours over /api/v1/schedules and /admin/hours: CRUD, refusals that change
// nothing, a flow's hours step naming a schedule, and an edit that the very next call reads
// (the runner with the app's own flow and schedule services, as a call in Stasis uses them).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../server/core/logger.js';
import { runFlow } from '../../../server/ivr/flow-runner.js';
import { fakeIo } from '../../unit/ivr/fake-io.js';
import { routingHarness, type Harness } from './routing-harness.js';

let h: Harness;
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const allRows = async () => h.app.db('schedules').orderBy('id').select('id', 'name', 'timezone', 'weekly', 'holidays', 'version');
const office = { name: 'Office', timezone: 'Asia/Shanghai', weekly: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }], holidays: [{ date: '2026-10-01', label: 'National Day' }] };
const ALWAYS = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }];
const hoursFlow = (name: string, scheduleId: number) => ({
  name, language: 'en', start: 'hours',
  steps: { hours: { type: 'hours', scheduleId, open: 'open', closed: 'closed' }, open: { type: 'queue', queue: 'support' }, closed: { type: 'hangup' } },
});

/** The billing queue's settings as a PUT takes them (without what the server keeps about it). */
async function billing(): Promise<Record<string, unknown>> {
  const settings = (await h.api('GET', '/api/v1/queues/billing')).json() as Record<string, unknown>;
  delete settings.id;
  delete settings.updatedAt;
  return settings;
}

/** What a call entering this flow now would do: the runner over the app's own services. */
async function callNow(flow: string): Promise<string> {
  const { io } = fakeIo({ now: new Date() });
  const result = await runFlow(flow, {
    io, attrs: {}, log: createLogger('fatal'),
    loadFlow: (name) => h.app.flows.get(name).catch(() => undefined),
    loadSchedule: (id) => h.app.schedules.forCall(id),
  });
  return result.outcome.kind;
}

async function form(url: string, fields: Record<string, string>) {
  const page = await h.app.inject({ method: 'GET', url: '/admin/hours', headers: { cookie: h.cookie } });
  return h.app.inject({
    method: 'POST', url, headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(page.body), ...fields }).toString(),
  });
}

describe('named business hours over /api/v1/schedules and /admin/hours', () => {
  let id: number;

  before(async () => {
    h = await routingHarness();
  });
  after(async () => h?.close());

  it('creates, reads, lists and replaces a schedule with holidays', async () => {
    const res = await h.api('POST', '/api/v1/schedules', office);
    assert.equal(res.statusCode, 201, res.body);
    id = res.json().id;
    assert.deepEqual({ ...(res.json() as object), id: undefined, updatedAt: undefined }, { ...office, id: undefined, version: 1, updatedAt: undefined });
    assert.equal((await h.api('GET', `/api/v1/schedules/${id}`)).json().name, 'Office');
    assert.equal((await h.api('GET', '/api/v1/schedules')).json().length, 1);
    const saved = await h.api('PUT', `/api/v1/schedules/${id}?version=1`, { ...office, holidays: [] });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().version, 2);
    const stale = await h.api('PUT', `/api/v1/schedules/${id}?version=1`, office);
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'schedule-version-conflict');
  });

  it('refuses bad schedules with every problem named, and changes nothing', async () => {
    const before = await allRows();
    const bad: Array<[unknown, number, string, RegExp]> = [
      [{ ...office, name: 'Other', timezone: 'Mars/Olympus' }, 422, 'invalid-schedule', /Mars\/Olympus/],
      [{ ...office, name: 'Other', weekly: [{ days: [1], from: '18:00', to: '09:00' }] }, 422, 'invalid-schedule', /18:00-09:00/],
      [{ ...office, name: 'Other', holidays: [{ date: '2026-02-30' }] }, 422, 'invalid-schedule', /2026-02-30/],
      [{ ...office, name: 'Other', holidays: [{ date: '2026-05-01' }, { date: '2026-05-01' }] }, 422, 'invalid-schedule', /twice/],
      [{ ...office, name: '  ' }, 422, 'invalid-body', /\/name/],
      [{ ...office, name: 'Other', weekly: [{ days: [8], from: '09:00', to: '10:00' }] }, 422, 'invalid-body', /weekly/],
      [{ ...office, name: 'Other', colour: 'red' }, 422, 'invalid-body', /not valid/],
      [{ name: 'Other' }, 422, 'invalid-body', /not valid/],
      [{ ...office, name: 'x'.repeat(65) }, 422, 'invalid-body', /not valid/],
      [office, 409, 'schedule-exists', /Office already exists/],
    ];
    for (const [body, status, code, message] of bad) {
      const res = await h.api('POST', '/api/v1/schedules', body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().error.code, code);
      assert.match(JSON.stringify(res.json().error), message);
    }
    assert.equal((await h.api('PUT', '/api/v1/schedules/999999', office)).statusCode, 404);
    assert.deepEqual(await allRows(), before);
  });

  it('a flow names a schedule by id; a missing one is refused', async () => {
    const missing = await h.api('POST', '/api/v1/ivr/flows', hoursFlow('by-missing', 999999));
    assert.equal(missing.statusCode, 422);
    assert.equal(missing.json().error.details.problems[0].code, 'missing-schedule');
    const both = hoursFlow('by-both', id) as { steps: { hours: Record<string, unknown> } };
    both.steps.hours.schedule = { timezone: 'UTC', weekly: [], holidays: [] };
    assert.equal((await h.api('POST', '/api/v1/ivr/flows', both)).statusCode, 422);
    assert.equal((await h.api('POST', '/api/v1/ivr/flows', hoursFlow('by-office', id))).statusCode, 201);
  });

  it('an edited schedule is what the very next call reads, without a restart', async () => {
    await h.api('PUT', `/api/v1/schedules/${id}`, { ...office, weekly: [] });
    assert.equal(await callNow('by-office'), 'hangup', 'closed');
    await h.api('PUT', `/api/v1/schedules/${id}`, { ...office, weekly: ALWAYS, holidays: [] });
    assert.equal(await callNow('by-office'), 'queue', 'open right after the edit');
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    await h.api('PUT', `/api/v1/schedules/${id}`, { ...office, weekly: ALWAYS, holidays: [{ date: today, label: 'today' }] });
    assert.equal(await callNow('by-office'), 'hangup', 'a holiday added today closes at once');
  });

  it('refuses to delete a schedule a flow or a queue uses, naming them; deletes it once free', async () => {
    const queue = await h.api('PUT', '/api/v1/queues/billing', { ...(await billing()), callback: { hoursScheduleId: id } });
    assert.equal(queue.statusCode, 200, queue.body);
    const before = await allRows();
    const res = await h.api('DELETE', `/api/v1/schedules/${id}`);
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'schedule-in-use');
    assert.match(res.json().error.message, /flow by-office/);
    assert.match(res.json().error.message, /queue billing/);
    assert.deepEqual(await allRows(), before);
    const page = await form(`/admin/hours/${id}/delete`, {});
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /id="hours-problem"[^>]*>schedule Office is still used by flow by-office/);
    assert.deepEqual(await allRows(), before);
    await h.api('PUT', '/api/v1/queues/billing', { ...(await billing()), callback: {} });
    assert.equal((await h.api('DELETE', '/api/v1/ivr/flows/by-office')).statusCode, 204);
    assert.equal((await h.api('DELETE', `/api/v1/schedules/${id}`)).statusCode, 204);
    assert.equal((await h.api('GET', `/api/v1/schedules/${id}`)).statusCode, 404);
  });

  it('a queue\'s calling hours may not name a schedule that does not exist', async () => {
    const res = await h.api('PUT', '/api/v1/queues/billing', { ...(await billing()), callback: { hoursScheduleId: 999999 } });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /schedule 999999/);
  });

  it('the page adds and edits a schedule from text lines, and names a line it cannot read', async () => {
    const added = await form('/admin/hours', { name: 'Weekend', timezone: 'Europe/Paris', weekly: '6,7 10:00-14:00\n1-3 08:00-09:00', holidays: '2026-12-25 Christmas\n2027-01-01' });
    assert.equal(added.statusCode, 303, added.body);
    const stored = await h.app.schedules.list();
    const weekend = stored.find((s) => s.name === 'Weekend');
    assert.deepEqual(weekend?.weekly, [{ days: [6, 7], from: '10:00', to: '14:00' }, { days: [1, 2, 3], from: '08:00', to: '09:00' }]);
    assert.deepEqual(weekend?.holidays, [{ date: '2026-12-25', label: 'Christmas' }, { date: '2027-01-01' }]);
    const before = await allRows();
    const bad = await form(`/admin/hours/${weekend?.id}`, { name: 'Weekend', timezone: 'Europe/Paris', weekly: 'weekdays nine to five', holidays: '' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /line 1/);
    const badZone = await form(`/admin/hours/${weekend?.id}`, { name: 'Weekend', timezone: 'Nowhere/City', weekly: '1 09:00-10:00', holidays: '' });
    assert.equal(badZone.statusCode, 422);
    assert.deepEqual(await allRows(), before);
    const page = await h.app.inject({ method: 'GET', url: '/admin/hours', headers: { cookie: h.cookie } });
    assert.match(page.body, /6,7 10:00-14:00/);
    assert.match(page.body, /2026-12-25 Christmas/);
  });
});
