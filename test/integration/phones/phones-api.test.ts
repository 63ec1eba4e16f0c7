// Desk phones over /api/v1/phones and the provisioning URL, against real MariaDB and Redis
// (no Asterisk: the PJSIP file is written to a temporary path and applied when AMI is up).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { resetDatabase, testConfig } from '../../support/config.js';
import { keys } from '../../../server/live/index.js';

const phonesFile = join(mkdtempSync(join(tmpdir(), 'cc-phones-')), 'pjsip-phones.conf');
const config = testConfig({
  asterisk: { root: '' },
  provisioning: { phonesFile, sipHost: 'pbx.example.test', publicHttpUrl: 'http://pbx.example.test:8080', failuresPerMinute: 5 },
  phones: [{ extension: '1001', password: 'config-phone-password', name: 'Config phone' }],
});
const USERS = {
  admin: { username: 'phones-admin', password: 'admin password 1', role: 'admin', displayName: 'Phones Admin' },
  supervisor: { username: 'phones-super', password: 'super password 1', role: 'supervisor', displayName: 'Sup' },
  agent: { username: 'phones-agent', password: 'agent password 1', role: 'agent', displayName: 'Agent' },
} as const;
const GOOD = { extension: '1050', displayName: 'Front <desk> & "co"', mac: '00:15:65:AB:CD:01', vendor: 'yealink', model: 'T54W', language: 'zh-CN', blfKeys: ['1090'] };

let app: FastifyInstance;
const cookies: Record<string, string> = {};

async function signIn(u: { username: string; password: string }): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const anon = form.cookies.find((c) => c.name === 'cc_session');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST', url: '/login',
    headers: { cookie: `cc_session=${anon?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, username: u.username, password: u.password }).toString(),
  });
  const set = res.cookies.find((c) => c.name === 'cc_session');
  assert.ok(set, `signed in as ${u.username}`);
  return `cc_session=${set.value}`;
}

const api = (who: keyof typeof USERS | 'nobody', method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
  app.inject({ method, url, headers: who === 'nobody' ? {} : { cookie: cookies[who] as string }, ...(body === undefined ? {} : { payload: body as object }) });
const phoneCount = async () => Number((await app.db('phones').count({ n: '*' }))[0]?.n);
const fileText = () => (existsSync(phonesFile) ? readFileSync(phonesFile, 'utf8') : '');

describe('desk phones from the API and provisioning', () => {
  let created: { id: number; sipPassword: string; provisioningUrl: string };

  before(async () => {
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    for (const u of Object.values(USERS)) await app.users.create(u);
    const [queueId] = await app.db('queues').insert({ name: 'phones-test' });
    await app.db('dids').insert({ number: '5550123', queue_id: queueId });
    await app.db('agents').insert({ number: '1090', name: 'Ann <b>Lee</b>', extension: '1090' });
    await app.redis.del(keys.provisioningFailures('127.0.0.1'));
    for (const role of Object.keys(USERS) as Array<keyof typeof USERS>) cookies[role] = await signIn(USERS[role]);
  });

  after(async () => {
    await app?.redis.del(keys.provisioningFailures('127.0.0.1'));
    await app?.close();
  });

  it('given an admin, adding a phone answers its generated password and provisioning URL once and writes its PJSIP endpoint', async () => {
    const res = await api('admin', 'POST', '/api/v1/phones', GOOD);
    assert.equal(res.statusCode, 201, res.body);
    created = res.json();
    assert.equal(res.json().mac, '001565abcd01');
    assert.equal(res.json().provisioningFile, '001565abcd01.cfg');
    assert.ok(created.sipPassword.length >= 20);
    const secret = /\/provision\/([^/]+)\/$/.exec(created.provisioningUrl)?.[1] ?? '';
    assert.ok(secret.length >= 32, created.provisioningUrl);
    assert.ok(created.provisioningUrl.startsWith('http://pbx.example.test:8080/provision/'));
    const conf = fileText();
    assert.match(conf, /^\[1050\]\(phone-endpoint\)$/m);
    assert.match(conf, new RegExp(`^password = ${created.sipPassword}$`, 'm'));
    // The quote and the angle brackets of the name cannot break out of callerid = "...".
    assert.match(conf, /^callerid = "Front desk & co" <1050>$/m);
    const listed = (await api('admin', 'GET', '/api/v1/phones')).json();
    assert.equal(listed.length, 1);
    assert.equal(listed[0].sipPassword, undefined, 'the list carries no secrets');
  });

  it('documents /api/v1/phones in the OpenAPI description, and not the provisioning URL', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.ok(doc.paths['/api/v1/phones']?.post, 'POST /api/v1/phones documented');
    assert.ok(doc.paths['/api/v1/phones/{id}/regenerate']?.post);
    assert.equal(Object.keys(doc.paths).some((p: string) => p.startsWith('/provision')), false);
  });

  it('lets only admins see or change phones', async () => {
    for (const who of ['supervisor', 'agent'] as const) {
      assert.equal((await api(who, 'GET', '/api/v1/phones')).statusCode, 403, who);
      assert.equal((await api(who, 'GET', `/api/v1/phones/${created.id}/secrets`)).statusCode, 403, who);
      assert.equal((await api(who, 'POST', '/api/v1/phones', { ...GOOD, extension: '1051', mac: '001565abcd02' })).statusCode, 403, who);
      assert.equal((await api(who, 'DELETE', `/api/v1/phones/${created.id}`)).statusCode, 403, who);
      assert.equal((await api(who, 'GET', '/admin/phones')).statusCode, 403, who);
    }
    assert.equal((await api('nobody', 'GET', '/api/v1/phones', undefined)).statusCode, 401);
    assert.equal(await phoneCount(), 1);
  });

  it('refuses bad input with a clear 400 or 409 and changes nothing', async () => {
    const before = fileText();
    const cases: Array<[string, unknown, number, RegExp]> = [
      ['missing fields', { extension: '1052' }, 400, /displayName|mac|vendor/],
      ["wrong types (an object for a string)", { ...GOOD, extension: { $gt: "" } }, 400, /extension/],
      ['oversized name', { ...GOOD, extension: '1052', mac: '001565abcd03', displayName: 'x'.repeat(65) }, 400, /displayName/],
      ['bad vendor', { ...GOOD, extension: '1052', mac: '001565abcd03', vendor: 'cisco' }, 400, /vendor/],
      ['bad MAC', { ...GOOD, extension: '1052', mac: 'zz:15:65:ab:cd:01' }, 400, /MAC/],
      ['multicast MAC', { ...GOOD, extension: '1052', mac: '01:00:5e:00:00:01' }, 400, /MAC/],
      ['SQL in the extension', { ...GOOD, extension: "1' OR 1", mac: '001565abcd03' }, 400, /digits/],
      ['feature code', { ...GOOD, extension: '*70', mac: '001565abcd03' }, 400, /feature code/],
      ['a line break in the name', { ...GOOD, extension: '1052', mac: '001565abcd03', displayName: 'a\n[evil]' }, 400, /one line/],
      ['duplicate extension', { ...GOOD, mac: '001565abcd03' }, 409, /already/],
      ['duplicate MAC', { ...GOOD, extension: '1052', mac: '00-15-65-ab-cd-01' }, 409, /MAC/],
      ['config phone extension', { ...GOOD, extension: '1001', mac: '001565abcd03' }, 409, /installed config/],
      ['DID number', { ...GOOD, extension: '5550123', mac: '001565abcd03' }, 409, /DID/],
      ['BLF of no agent', { ...GOOD, extension: '1052', mac: '001565abcd03', blfKeys: ['4242'] }, 400, /4242/],
      ['BLF injection', { ...GOOD, extension: '1052', mac: '001565abcd03', blfKeys: ['1090\nlinekey.9.type = 1'] }, 400, /BLF|blfKeys/],
    ];
    for (const [what, body, status, message] of cases) {
      const res = await api('admin', 'POST', '/api/v1/phones', body);
      assert.equal(res.statusCode, status, `${what}: ${res.body}`);
      assert.match(res.json().error.message, message, what);
    }
    assert.equal((await api('admin', 'PUT', '/api/v1/phones/999999', GOOD)).statusCode, 404);
    assert.equal(await phoneCount(), 1);
    assert.equal(fileText(), before, 'the PJSIP file is untouched');
  });

  it('gives the phone its file at its URL, and the same 404 to a wrong secret, another file or an unknown MAC', async () => {
    const path = new URL(created.provisioningUrl).pathname;
    const ok = await app.inject({ method: 'GET', url: `${path}001565abcd01.cfg` });
    assert.equal(ok.statusCode, 200);
    assert.ok(ok.body.startsWith('#!version:1.0.0.1\n'));
    assert.match(ok.body, new RegExp(`^account\\.1\\.password = ${created.sipPassword}$`, 'm'));
    assert.match(ok.body, /^account\.1\.sip_server\.1\.address = pbx\.example\.test$/m);
    assert.match(ok.body, /^lang\.gui = Chinese_S$/m);
    assert.match(ok.body, /^linekey\.1\.value = \*751090$/m);
    assert.equal(ok.cookies.length, 0, 'no session for a phone');
    const misses = [
      `/provision/${'A'.repeat(43)}/001565abcd01.cfg`,
      `${path}001565abcd02.cfg`,
      `${path}cfg001565abcd01.xml`,
      '/provision/short/001565abcd01.cfg',
    ];
    const answers = await Promise.all(misses.map((url) => app.inject({ method: 'GET', url })));
    for (const [i, res] of answers.entries()) {
      assert.equal(res.statusCode, 404, misses[i]);
      assert.equal(res.body, answers[0]?.body, 'every refusal reads the same');
      assert.equal(res.headers['content-type'], answers[0]?.headers['content-type']);
    }
    assert.doesNotMatch(answers[0]?.body ?? '', /password|secret|phone/i);
  });

  it('answers 429 to an address after too many failed fetches, even with a right URL', async () => {
    const path = new URL(created.provisioningUrl).pathname;
    for (let i = 0; i < 5; i++) await app.inject({ method: 'GET', url: `/provision/${'B'.repeat(43)}/x.cfg` });
    assert.equal((await app.inject({ method: 'GET', url: `${path}001565abcd01.cfg` })).statusCode, 429);
    await app.redis.del(keys.provisioningFailures('127.0.0.1'));
    assert.equal((await app.inject({ method: 'GET', url: `${path}001565abcd01.cfg` })).statusCode, 200);
  });

  it('regenerates the secrets: the old URL stops working and the new one works', async () => {
    const oldPath = new URL(created.provisioningUrl).pathname;
    const res = await api('admin', 'POST', `/api/v1/phones/${created.id}/regenerate`, {});
    assert.equal(res.statusCode, 200, res.body);
    assert.notEqual(res.json().sipPassword, created.sipPassword);
    assert.equal((await app.inject({ method: 'GET', url: `${oldPath}001565abcd01.cfg` })).statusCode, 404);
    const fresh = await app.inject({ method: 'GET', url: `${new URL(res.json().provisioningUrl).pathname}001565abcd01.cfg` });
    assert.equal(fresh.statusCode, 200);
    assert.match(fileText(), new RegExp(`^password = ${res.json().sipPassword}$`, 'm'));
    await app.redis.del(keys.provisioningFailures('127.0.0.1'));
  });

  it('writes every change and every read of the secrets to the audit trail, without the secrets', async () => {
    const secrets = await api('admin', 'GET', `/api/v1/phones/${created.id}/secrets`);
    assert.equal(secrets.statusCode, 200);
    const rows = await (async () => {
      for (let i = 0; i < 40; i++) {
        const found = await app.db('audit_log').where('action', 'like', 'phone.%').orderBy('at').select('action', 'actor_username', 'target_id', 'before_json', 'after_json');
        if (found.length >= 3) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      return [];
    })();
    assert.deepEqual(rows.map((r) => r.action), ['phone.create', 'phone.regenerate-secrets', 'phone.secrets-read']);
    assert.ok(rows.every((r) => r.actor_username === USERS.admin.username && r.target_id === '1050'));
    const text = JSON.stringify(rows);
    assert.doesNotMatch(text, new RegExp(secrets.json().sipPassword));
    assert.doesNotMatch(text, /provision\//);
  });

  it('shows the admin page with names as text, and a form post refused like the API', async () => {
    const page = await api('admin', 'GET', '/admin/phones');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<tr data-extension="1050">/);
    assert.match(page.body, /value="Front &lt;desk&gt; &amp; &quot;co&quot;"/);
    assert.doesNotMatch(page.body, /secret-password/, 'no secrets unless asked');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const bad = await app.inject({
      method: 'POST', url: '/admin/phones',
      headers: { cookie: cookies.admin as string, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, extension: '1060', displayName: 'X', mac: 'nope', vendor: 'snom' }).toString(),
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="phones-problem"/);
    assert.equal(await phoneCount(), 1);
  });

  it('lets an agent log in on a managed phone (hot-desking), and not on a phone nobody added', async () => {
    const agentId = Number((await app.db('agents').where({ number: '1090' }).first('id')).id);
    const view = await app.agentSessions.login(agentId, { phone: '1050' }, 'test');
    assert.equal(view.phone, '1050');
    await assert.rejects(app.agentSessions.login(agentId, { phone: '1099' }, 'test'), /1099 is not a desk phone/);
    await app.agentSessions.logout(agentId, 'test');
  });

  it('gives one of two simultaneous adds of the same extension a 201 and the other the same 409', async () => {
    const [a, b] = await Promise.all([
      api('admin', 'POST', '/api/v1/phones', { ...GOOD, extension: '1070', mac: '001565abcd70' }),
      api('admin', 'POST', '/api/v1/phones', { ...GOOD, extension: '1070', mac: '001565abcd71' }),
    ]);
    const added = [a, b].find((r) => r.statusCode === 201);
    try {
      assert.deepEqual([a.statusCode, b.statusCode].sort(), [201, 409], `${a.body} ${b.body}`);
      assert.equal((a.statusCode === 409 ? a : b).json().error.code, 'extension-taken');
    } finally {
      if (added) assert.equal((await api('admin', 'DELETE', `/api/v1/phones/${added.json().id}`)).statusCode, 204);
    }
  });

  it('removes a phone and its endpoint', async () => {
    assert.equal((await api('admin', 'DELETE', `/api/v1/phones/${created.id}`)).statusCode, 204);
    assert.equal(await phoneCount(), 0);
    assert.doesNotMatch(fileText(), /\[1050\]/);
  });
});
