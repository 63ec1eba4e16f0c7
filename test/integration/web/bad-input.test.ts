// Bad input on every admin form and API body, found by walking the routes the app
// registers (so routes added later are walked too): missing fields, wrong types,
// oversized text and injection strings. Each must get a clear 4xx (never a 500 or a
// silent acceptance of what the schema forbids) and change no table; injected text a
// route accepts as data must show escaped on every page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Knex } from 'knex';
import { buildApp } from '../../../server/app.js';
import { createDb } from '../../../server/core/db.js';
import { TEST_DB, seededDatabase, testConfig } from '../../support/config.js';
import { csrfTokenIn, signIn } from '../../support/web-session.js';
import { concreteUrl } from '../../support/role-probe.js';
import { INJECTIONS, OVERSIZED, fieldsOf, sample, takesText, wrongTypeFor } from '../../support/schema-samples.js';
import { changed, checksum, snapshotTables } from '../../support/table-snapshot.js';

// Asterisk include files the server writes (phones, bans, ...) land in a scratch tree, never in the shared Asterisk.
const root = mkdtempSync(join(tmpdir(), 'cc-bad-input-'));
mkdirSync(join(root, 'etc/asterisk'), { recursive: true });
mkdirSync(join(root, 'var/spool/asterisk/recording'), { recursive: true });
const config = testConfig({ asterisk: { ...testConfig().asterisk, root } });
const ADMIN = { username: 'walk-admin', password: 'walk admin password 1' };
const REFUSED = new Set([400, 404, 409, 413, 422]);
const SCRIPT = INJECTIONS[0];
// Routes that act on the walker's own account (password, sessions): walking them would sign it out.
const OWN_ACCOUNT = /^\/api\/v1\/me\//;

interface Route { method: string; url: string; body: Record<string, any> }
interface Case { label: string; payload: unknown; mayBeAccepted: boolean }

let app: FastifyInstance;
let db: Knex;
let tables: string[];
let cookie: string;
let csrf: string;
let ownId: number;
const routes: Route[] = [];
const problems: string[] = [];
const accepted: string[] = [];
const skipped: string[] = [];
let sent = 0;

async function session(): Promise<void> {
  cookie = await signIn(app, ADMIN.username, ADMIN.password);
  csrf = csrfTokenIn((await app.inject({ url: '/account', headers: { cookie } })).body);
}

/** A real id or name for each URL parameter when a list route gives one (not the walker's own user), else one that matches nothing. */
async function realUrl(pattern: string): Promise<string> {
  const parts = pattern.split('/');
  for (let i = 1; i < parts.length; i++) {
    const param = /^:(\w+)$/.exec(parts[i] as string)?.[1];
    if (!param) continue;
    const list = parts.slice(0, i).join('/').replace(/^\/admin\//, '/api/v1/');
    const res = await app.inject({ url: list, headers: { cookie, accept: 'application/json' } });
    let value: unknown;
    try {
      const json = JSON.parse(res.body) as unknown;
      const items = (Array.isArray(json) ? json : Object.values(json as object).find(Array.isArray) ?? []) as Array<Record<string, unknown>>;
      const key = param === 'name' || param === 'number' ? param : 'id';
      value = items.find((x) => x[key] !== undefined && !(key === 'id' && x.username !== undefined && x.id === ownId))?.[key];
    } catch { /* not a JSON list: no real value */ }
    parts[i] = value === undefined ? concreteUrl(`/:${param}`).slice(1) : encodeURIComponent(String(value));
  }
  return parts.join('/');
}

function casesFor(body: Record<string, any>): Case[] {
  const base = sample(body) as Record<string, unknown>;
  const fields = fieldsOf(body);
  const cases: Case[] = [
    { label: 'empty body', payload: {}, mayBeAccepted: !fields.some((f) => f.required) },
    { label: 'a string instead of an object', payload: 'just text', mayBeAccepted: false },
  ];
  for (const f of fields.filter((x) => x.required)) cases.push({ label: `${f.name} of the wrong type`, payload: { ...base, [f.name]: wrongTypeFor(f.schema) }, mayBeAccepted: false });
  for (const f of fields.filter((x) => takesText(x.schema))) {
    cases.push({ label: `${f.name} 100k characters long`, payload: { ...base, [f.name]: OVERSIZED }, mayBeAccepted: (f.schema.maxLength ?? 0) >= OVERSIZED.length });
    for (const inj of INJECTIONS) cases.push({ label: `${f.name} = ${JSON.stringify(inj)}`, payload: { ...base, [f.name]: inj }, mayBeAccepted: true });
  }
  return cases;
}

/** Sends one case and judges the answer; tables are compared with the last snapshot. */
async function judge(where: string, c: Case, send: () => Promise<{ statusCode: number; body: string }>, clearRefusal: (body: string) => boolean, last: { sums: Map<string, string> }) {
  const res = await send();
  sent += 1;
  const now = await checksum(db, tables);
  const what = `${where} with ${c.label}`;
  if (res.statusCode === 401 || (res.statusCode === 302 && !where.startsWith('POST /admin'))) {
    problems.push(`${what}: signed the admin out (${res.statusCode})`);
    await session();
  } else if (REFUSED.has(res.statusCode)) {
    if (!clearRefusal(res.body)) problems.push(`${what}: ${res.statusCode} without a clear message: ${res.body.slice(0, 200)}`);
    const diff = changed(last.sums, now);
    if (diff.length) problems.push(`${what}: refused (${res.statusCode}) but changed ${diff.join(', ')}`);
  } else if (res.statusCode < 400) {
    if (!c.mayBeAccepted) problems.push(`${what}: accepted (${res.statusCode}) what its schema forbids`);
    else accepted.push(`${what}: ${res.statusCode}`);
  } else {
    problems.push(`${what}: answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
  }
  last.sums = now;
  return res;
}

const clearJsonError = (body: string) => {
  try {
    const e = (JSON.parse(body) as { error?: { code?: string; message?: string } }).error;
    return Boolean(e?.code && e.message && e.message.length > 3);
  } catch {
    return false;
  }
};
const clearPageError = (body: string) => /class="alert"[^>]*>\s*\S|class="detail">\s*\S/.test(body);

describe('bad input on every admin form and API body', () => {
  before(async () => {
    await seededDatabase(config);
    app = await buildApp(config, {
      telephony: false,
      onRoute: (r: RouteOptions) => {
        const body = (r.schema as { body?: Record<string, any> } | undefined)?.body;
        for (const method of [r.method].flat()) {
          if (!['POST', 'PUT', 'PATCH'].includes(method) || !body) continue;
          if (r.url.startsWith('/api/v1/') || r.url.startsWith('/admin/')) routes.push({ method, url: r.url, body });
        }
      },
    });
    await app.ready();
    ownId = (await app.users.create({ username: ADMIN.username, password: ADMIN.password, role: 'admin', displayName: 'Walker' })).id;
    db = createDb(config);
    tables = await snapshotTables(db, TEST_DB);
    await session();
  });

  after(async () => {
    await db?.destroy();
    await app?.close();
  });

  it('finds the routes to walk', () => {
    assert.ok(routes.filter((r) => r.url.startsWith('/api/')).length > 30, `only ${routes.length} routes`);
    assert.ok(routes.filter((r) => r.url.startsWith('/admin/')).length > 15);
    assert.ok(tables.includes('queues') && tables.includes('users') && !tables.some((t) => /audit/.test(t)));
  });

  it('every API body: a JSON error with a clear message, never a 500, and nothing changed', async () => {
    const last = { sums: await checksum(db, tables) };
    for (const r of routes.filter((x) => x.url.startsWith('/api/v1/') && !OWN_ACCOUNT.test(x.url))) {
      const url = await realUrl(r.url);
      const where = `${r.method} ${url}`;
      const probe = await app.inject({ method: r.method as 'POST', url, headers: { cookie, 'content-type': 'application/json' }, payload: '{}' });
      if (probe.statusCode === 403) {
        skipped.push(`${where}: not an admin route`);
        continue;
      }
      last.sums = await checksum(db, tables);
      for (const c of casesFor(r.body)) {
        await judge(where, c, () => app.inject({ method: r.method as 'POST', url, headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify(c.payload) }), clearJsonError, last);
      }
      const huge = { label: 'a body over the size limit', payload: null, mayBeAccepted: false };
      const res = await judge(where, huge, () => app.inject({ method: r.method as 'POST', url, headers: { cookie, 'content-type': 'application/json' }, payload: `{"x":"${'y'.repeat(config.http.bodyLimitBytes)}"}` }), clearJsonError, last);
      if (res.statusCode !== 413) problems.push(`${where} with a body over the limit: ${res.statusCode}, not 413`);
    }
    assert.deepEqual(problems.splice(0), []);
  });

  it('every admin form: a page that says what is wrong, never a 500, and nothing changed', async () => {
    const last = { sums: await checksum(db, tables) };
    for (const r of routes.filter((x) => x.url.startsWith('/admin/'))) {
      const url = await realUrl(r.url);
      const fields = fieldsOf(r.body).map((f) => f.name).filter((n) => n !== '_csrf');
      const base = Object.fromEntries(Object.entries(sample(r.body) as Record<string, unknown>).filter(([k]) => k !== '_csrf').map(([k, v]) => [k, String(v)]));
      const cases: Case[] = [{ label: 'only the CSRF token', payload: {}, mayBeAccepted: fields.length === 0 || !fieldsOf(r.body).some((f) => f.required && f.name !== '_csrf') }];
      for (const f of fields) {
        cases.push({ label: `${f} 100k characters long`, payload: { ...base, [f]: OVERSIZED }, mayBeAccepted: false });
        for (const inj of INJECTIONS) cases.push({ label: `${f} = ${JSON.stringify(inj)}`, payload: { ...base, [f]: inj }, mayBeAccepted: true });
      }
      for (const c of cases) {
        const form = new URLSearchParams({ ...(c.payload as Record<string, string>), _csrf: csrf }).toString();
        await judge(`${r.method} ${url}`, c, () => app.inject({ method: r.method as 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form }), clearPageError, last);
      }
    }
    assert.deepEqual(problems.splice(0), []);
  });

  it('injected text that was accepted as data shows escaped on every admin page', async (t) => {
    const pages = ['/admin/users', '/admin/phones', '/admin/queues', '/admin/flows', '/admin/dispositions', '/admin/pause-reasons', '/admin/alert-rules',
      '/admin/dial-rules', '/admin/sip-bans', '/admin/report-schedules', '/admin/agents', '/admin/agents/setup', '/interactions', '/customers', '/wallboard', '/supervisor/agents'];
    const raw: string[] = [];
    for (const page of pages) {
      const res = await app.inject({ url: page, headers: { cookie } });
      if (res.body.includes(SCRIPT)) raw.push(page);
    }
    assert.deepEqual(raw, [], 'pages that show an injected <script> unescaped');
    t.diagnostic(`${sent} bad requests over ${routes.length} routes; ${accepted.length} accepted as data; skipped: ${skipped.join('; ') || 'none'}`);
    assert.ok(sent > 500, `only ${sent} requests were sent`);
  });
});
