import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { concreteUrl } from '../../support/role-probe.js';
import { seededDatabase, testConfig } from '../../support/config.js';
import { api, postForm, signIn } from '../../support/web-session.js';

const ADMIN = { username: 'harden-admin', password: 'admin password 1', role: 'admin', displayName: 'Harden <b>Admin</b>' } as const;
// Every table a form can change: a refused form must leave each exactly as it was.
const TABLES = ['users', 'queues', 'dids', 'agents', 'queue_agents', 'ivr_flows', 'prompts', 'agent_skills', 'callbacks', 'customers', 'customer_numbers', 'customer_notes', 'audit_log', 'alert_rules', 'pause_reasons', 'dispositions', 'user_recovery_codes'];

let app: FastifyInstance;
let cookie: string;
const writes: Array<{ method: string; url: string }> = [];

async function checksums(): Promise<string> {
  const [rows] = await app.db.raw(`CHECKSUM TABLE ${TABLES.map((t) => `\`${t}\``).join(', ')}`) as [Array<{ Table: string; Checksum: number }>];
  return rows.map((r) => `${r.Table}=${r.Checksum}`).join(' ');
}

describe('web hardening: headers, size limits, CSRF on every form, escaping, TLS', () => {
  before(async () => {
    const config = testConfig({ http: { ...testConfig().http, bodyLimitBytes: 4096 } });
    await seededDatabase(config);
    app = await buildApp(config, {
      telephony: false,
      onRoute: (r: RouteOptions) => {
        for (const method of [r.method].flat()) {
          if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) && !r.url.startsWith('/api/')) writes.push({ method, url: r.url });
        }
      },
    });
    await app.ready();
    await app.users.create(ADMIN);
    cookie = await signIn(app, ADMIN.username, ADMIN.password);
  });

  after(async () => {
    await app?.close();
  });

  it('sends the security headers on pages: CSP without inline scripts, no framing, nosniff, same-origin referrer, no HSTS over plain HTTP', async () => {
    const res = await app.inject({ url: '/admin/agents', headers: { cookie } });
    assert.equal(res.statusCode, 200);
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.equal(res.headers['strict-transport-security'], undefined);
    assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline <script> on the page');
    assert.doesNotMatch(res.body, /\son[a-z]+="/, 'no inline event handlers');
  });

  it('answers an oversized JSON body with 413 JSON and an oversized form with a 413 page, changing nothing', async () => {
    const before = await checksums();
    const json = await api(app, cookie, 'POST', '/api/v1/pause-reasons', { name: 'big', code: '77', label: 'x'.repeat(5000), paid: false, active: true });
    assert.equal(json.statusCode, 413);
    assert.equal(json.json().error.code, 'payload-too-large');
    assert.match(json.json().error.message, /4096-byte limit/);
    const page = await app.inject({
      method: 'POST', url: '/admin/pause-reasons',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `name=big&code=77&label=${'x'.repeat(5000)}`,
    });
    assert.equal(page.statusCode, 413);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.match(page.body, /What you sent is too large\./);
    assert.equal(await checksums(), before);
  });

  it('refuses every form post of every page without its CSRF token, and nothing changes', async () => {
    assert.ok(writes.length >= 30, `found only ${writes.length} page write routes`);
    const before = await checksums();
    const accepted: string[] = [];
    for (const w of writes) {
      const res = await app.inject({
        method: w.method as 'POST', url: concreteUrl(w.url).replace('999999', '1').replace('zz-none', 'support'),
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=forged&label=forged&displayName=forged&role=admin&password=forged+password+1&code=1',
      });
      if (res.statusCode !== 403 || !res.body.includes('csrf-token-invalid')) accepted.push(`${w.method} ${w.url}: ${res.statusCode}`);
    }
    assert.deepEqual(accepted, []);
    assert.equal(await checksums(), before);
    assert.equal((await app.inject({ url: '/admin/agents', headers: { cookie } })).statusCode, 200, 'the forged logout did not sign the admin out');
  });

  it('shows names and notes with HTML in them as text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const created = await api(app, cookie, 'POST', '/api/v1/users', { username: 'evil-name', password: 'evil password 12', role: 'agent', displayName: evil });
    assert.equal(created.statusCode, 201);
    const users = await app.inject({ url: '/admin/users', headers: { cookie } });
    assert.ok(users.body.includes('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;'), 'the display name is escaped');
    assert.ok(!users.body.includes(evil));
    assert.match(users.body, /Signed in as Harden &lt;b&gt;Admin&lt;\/b&gt;/);
    const customer = await api(app, cookie, 'POST', '/api/v1/customers', { name: `<script>x</script>`, notes: `</textarea>${evil}` });
    assert.equal(customer.statusCode, 201, customer.body);
    const note = await api(app, cookie, 'POST', `/api/v1/customers/${customer.json().id}/notes`, { text: `<b onclick=x>${evil}` });
    assert.equal(note.statusCode, 201, note.body);
    const page = await app.inject({ url: `/customers/${customer.json().id}`, headers: { cookie } });
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('<script>x</script>') && !page.body.includes(evil) && !page.body.includes('<b onclick'));
    assert.ok(page.body.includes('&lt;script&gt;x&lt;/script&gt;'));
  });

  it('changes a password from the account page form, with the rules applied there too', async () => {
    const weak = await postForm(app, cookie, '/account', '/account/password', { currentPassword: ADMIN.password, newPassword: 'harden-admin' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /id="account-problem"[^>]*>[^<]*must not be the username/);
  });

  it('serves HTTPS with HSTS and Secure cookies when http.tls names a key pair', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const base = testConfig();
      const tlsApp = await buildApp(testConfig({ http: { ...base.http, tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } } }), { telephony: false });
      try {
        await tlsApp.listen({ host: '127.0.0.1', port: 0 });
        const { port } = tlsApp.server.address() as { port: number };
        const res = await new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
          httpsRequest({ host: '127.0.0.1', port, path: '/login', rejectUnauthorized: false }, (r) => {
            r.resume();
            resolve({ status: r.statusCode ?? 0, headers: r.headers });
          }).on('error', reject).end();
        });
        assert.equal(res.status, 200);
        assert.match(String(res.headers['strict-transport-security']), /max-age=15552000/);
        assert.match(String(res.headers['set-cookie']), /; Secure/);
      } finally {
        await tlsApp.close();
      }
      const broken = testConfig({ http: { ...base.http, tls: { cert: join(dir, 'nope.pem'), key: join(dir, 'key.pem') } } });
      await assert.rejects(buildApp(broken, { telephony: false }), /http\.tls\.cert: cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
