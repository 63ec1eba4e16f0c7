// GET /api/v1/reports/kpis and kpis.csv: who may read them, what a bad query gets, and that
// the CSV carries the same numbers as the JSON.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { resetDatabase, testConfig } from '../../support/config.js';
import { dayOf } from '../../../server/reports/kpi/index.js';

const config = testConfig();
const PASSWORD = 'report password 1';
let app: FastifyInstance;
const cookies: Record<string, string> = {};

async function signIn(username: string): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const anon = form.cookies.find((c) => c.name === 'cc_session');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST', url: '/login',
    headers: { cookie: `cc_session=${anon?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, username, password: PASSWORD }).toString(),
  });
  const set = res.cookies.find((c) => c.name === 'cc_session');
  assert.ok(set, `signed in as ${username}`);
  return `cc_session=${set.value}`;
}

const get = (url: string, as = 'reports') => app.inject({ method: 'GET', url, headers: { cookie: cookies[as] ?? '' } });

describe('the KPI API', () => {
  before(async () => {
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    for (const role of ['reports', 'supervisor', 'agent'] as const) {
      await app.users.create({ username: `kpi-${role}`, password: PASSWORD, role, displayName: `Kpi ${role}` });
      cookies[role] = await signIn(`kpi-${role}`);
    }
    await app.queues.create({ name: 'apiq', skill: 'apiq', strategy: 'longest_idle', priority: {} });
    const t0 = dayOf(config.timezone, Date.parse('2026-11-12T12:00:00Z')).from + 9 * 3_600_000;
    for (const [queue, steps] of [
      ['apiq', [['enter-queue', 0], ['connect', 12_000, { waitMs: 12_000 }], ['complete', 72_000]]],
      ['apiq', [['enter-queue', 1000], ['abandon', 31_000, { waitMs: 30_000 }]]],
    ] as Array<[string, Array<[string, number, Record<string, unknown>?]>]>) {
      const id = randomUUID();
      for (const [type, ms, data] of steps) await app.interactions.event(id, type as never, { queue, data, at: new Date(t0 + ms) });
      await app.interactions.settled(id);
    }
  });

  after(async () => {
    await app?.close();
  });

  it('answers report viewers and supervisors, and refuses agents and strangers', async () => {
    const url = '/api/v1/reports/kpis?from=2026-11-12&to=2026-11-12&grain=hour&by=queue';
    const res = await get(url);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    const row = body.rows.find((r: { key: string }) => r.key === 'apiq');
    assert.deepEqual([row.queue.offered, row.queue.answered, row.queue.abandoned, row.label.slice(11)], [2, 1, 1, '09:00']);
    assert.equal(body.total.queue.abandonRate, 0.5);
    assert.equal((await get(url, 'supervisor')).statusCode, 200);
    assert.equal((await get(url, 'agent')).statusCode, 403);
    assert.equal((await get(url, 'nobody')).statusCode, 401);
  });

  it('is documented in the OpenAPI description', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/v1/reports/kpis', '/api/v1/reports/kpis.csv']) assert.ok(doc.paths[path]?.get, path);
    assert.deepEqual(doc.paths['/api/v1/reports/kpis'].get.parameters.map((p: { name: string }) => p.name).sort(), ['by', 'from', 'grain', 'queue', 'to']);
  });

  it('refuses reversed, invalid and absurd ranges with a clear 400', async () => {
    const cases: Array<[string, string]> = [
      ['from=2026-11-12&to=2026-11-01', 'kpi-range-reversed'],
      ['from=2026-02-30&to=2026-03-01', 'kpi-invalid-date'],
      ['from=yesterday&to=2026-03-01', 'kpi-invalid-date'],
      ['from=2020-01-01&to=2026-11-12', 'kpi-range-too-long'],
      ['from=2026-09-01&to=2026-11-12&grain=15m', 'kpi-range-too-long'],
    ];
    for (const [qs, code] of cases) {
      const res = await get(`/api/v1/reports/kpis?${qs}`);
      assert.equal(res.statusCode, 400, qs);
      assert.equal(res.json().error.code, code, qs);
      assert.match(res.json().error.message, /\S/, 'a message that says why');
    }
    const grain = await get('/api/v1/reports/kpis?from=2026-11-01&to=2026-11-02&grain=fortnight');
    assert.equal(grain.statusCode, 400);
    assert.match(grain.body, /grain/);
    assert.equal((await get('/api/v1/reports/kpis?to=2026-11-02')).statusCode, 400, 'from is required');
    assert.equal((await get('/api/v1/reports/kpis.csv?from=2026-11-12&to=2026-11-01')).statusCode, 400);
  });

  it('exports the same table as CSV, with the total line last', async () => {
    const res = await get('/api/v1/reports/kpis.csv?from=2026-11-12&to=2026-11-12&grain=day&by=queue&queue=apiq');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /kpis-2026-11-12-2026-11-12-day-queue\.csv/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    const header = lines[0]!;
    const col = (line: string[], name: string) => line[header.indexOf(name)];
    assert.equal(lines.length, 3, 'header, apiq, total');
    assert.deepEqual([col(lines[1]!, 'key'), col(lines[1]!, 'offered'), col(lines[1]!, 'answered'), col(lines[1]!, 'asaSec')], ['apiq', '2', '1', '12']);
    assert.deepEqual([col(lines[2]!, 'row'), col(lines[2]!, 'offered'), col(lines[2]!, 'abandonRate')], ['total', '2', '0.5']);
  });
});
