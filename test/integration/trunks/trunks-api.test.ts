// Trunks over /api/v1/trunks and /admin/trunks, against real MariaDB and Redis (no Asterisk:
// the PJSIP file goes to a temporary path, and is applied when AMI is up, which it is not here).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { resetDatabase, testConfig } from '../../support/config.js';
import { csrfTokenIn, signIn } from '../../support/web-session.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-trunks-'));
const managedFile = join(dir, 'pjsip-trunks.conf');
const config = testConfig({
  asterisk: { root: '' },
  provisioning: { phonesFile: join(dir, 'pjsip-phones.conf') },
  trunk: { name: 'carrier', match: ['127.0.0.2'], managedFile },
  phones: [{ extension: '1001', password: 'config-phone-password', name: 'Config phone' }],
  sipGuard: { neverBan: [], aclFile: join(dir, 'pjsip-bans.conf') },
});
const USERS = {
  admin: { username: 'trunks-admin', password: 'admin password 1', role: 'admin', displayName: 'Trunks Admin' },
  supervisor: { username: 'trunks-super', password: 'super password 1', role: 'supervisor', displayName: 'Sup' },
} as const;
const IP = { name: 'carrier2', label: 'Second carrier', kind: 'ip', host: '203.0.113.10', match: ['203.0.113.10', '198.51.100.0/24'], codecs: ['alaw', 'ulaw'] };
const REG = { name: 'provider', kind: 'register', host: 'sip.example.net', port: 5080, username: 'acct1001', password: 'Carrier-Pass-1', fromDomain: 'example.net' };

let app: FastifyInstance;
const cookies: Record<string, string> = {};
const api = (who: keyof typeof USERS, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
  app.inject({ method, url, headers: { cookie: cookies[who] as string }, ...(body === undefined ? {} : { payload: body as object }) });
const rows = () => app.db('trunks').orderBy('id').select('*');
const fileText = () => (existsSync(managedFile) ? readFileSync(managedFile, 'utf8') : '');
// mysql2 may hand JSON columns back parsed or as text.
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const audits = (action: string) => app.db('audit_log').where({ action }).orderBy('id').select('*');

/** Posts a form of /admin/trunks with the page's CSRF token. */
async function postForm(url: string, fields: Record<string, string>) {
  const page = await app.inject({ method: 'GET', url: '/admin/trunks', headers: { cookie: cookies.admin as string } });
  return app.inject({
    method: 'POST', url, headers: { cookie: cookies.admin as string, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfTokenIn(page.body), ...fields }).toString(),
  });
}

describe('trunks from the API and the admin page', () => {
  const ids: Record<string, number> = {};

  before(async () => {
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    await app.ready();
    for (const u of Object.values(USERS)) await app.users.create(u);
    for (const role of Object.keys(USERS) as Array<keyof typeof USERS>) cookies[role] = await signIn(app, USERS[role].username, USERS[role].password);
    await app.phones.create({ extension: '2001', displayName: 'Managed phone', mac: '001565abcd77', vendor: 'yealink' }, { userId: null, username: 'test' });
  });

  after(async () => {
    await app?.close();
  });

  it('given an admin, adds an IP trunk: written for Asterisk, never banned (an old ban lifted), no password anywhere', async () => {
    assert.equal(app.sipGuard.isNeverBanned('198.51.100.77'), false, 'not protected before');
    await app.sipGuard.banByHand({ address: '203.0.113.10', minutes: 60 }, 'test');
    assert.equal((await app.sipGuard.list('active')).length, 1, 'the carrier is banned before it becomes a trunk');
    const res = await api('admin', 'POST', '/api/v1/trunks', IP);
    assert.equal(res.statusCode, 201, res.body);
    ids.ip = res.json().id;
    assert.deepEqual({ ...(res.json() as object), id: 0, updatedAt: '' }, {
      id: 0, updatedAt: '', name: 'carrier2', label: 'Second carrier', kind: 'ip', host: '203.0.113.10', port: 5060, transport: 'udp',
      match: ['203.0.113.10', '198.51.100.0/24'], username: '', hasPassword: false, fromDomain: '', codecs: ['alaw', 'ulaw'], enabled: true, outbound: false,
    });
    assert.match(fileText(), /^\[carrier2-identify\]$/m);
    assert.match(fileText(), /^match = 198\.51\.100\.0\/24$/m);
    assert.equal(app.sipGuard.isNeverBanned('198.51.100.77'), true, 'its network is never banned');
    assert.equal(app.sipGuard.isNeverBanned('127.0.0.2'), true, 'the config trunk still is');
    assert.deepEqual(await app.sipGuard.list('active'), [], 'its ban is lifted');
    assert.match((await app.db('sip_bans').first()).lifted_by, /never-ban/);
    const [audit] = await audits('trunk.create');
    assert.equal(audit?.target_id, String(ids.ip));
    assert.equal(audit?.actor_username, 'trunks-admin');
  });

  it('adds a registering trunk whose password is written for Asterisk and never answered', async () => {
    const res = await api('admin', 'POST', '/api/v1/trunks', REG);
    assert.equal(res.statusCode, 201, res.body);
    ids.reg = res.json().id;
    assert.equal(res.json().hasPassword, true);
    assert.equal(res.body.includes(REG.password), false, 'the answer carries no password');
    assert.match(fileText(), /^password = Carrier-Pass-1$/m);
    const raw = (await app.db('trunks').where({ id: ids.reg }).first('password')).password as string;
    assert.match(raw, /^enc:v1:/, 'the password is sealed at rest');
    assert.equal(raw.includes(REG.password), false);
    assert.match(fileText(), /^server_uri = sip:sip\.example\.net:5080$/m);
    for (const url of ['/api/v1/trunks', `/api/v1/trunks/${ids.reg}`, '/admin/trunks']) {
      const got = await api('admin', 'GET', url);
      assert.equal(got.statusCode, 200, url);
      assert.equal(got.body.includes(REG.password), false, `${url} shows no password`);
    }
    const one = (await api('admin', 'GET', `/api/v1/trunks/${ids.reg}`)).json();
    assert.equal(one.registration, null, 'no state while Asterisk is unreachable');
    const audit = (await audits('trunk.create')).at(-1);
    assert.equal(JSON.stringify(audit).includes(REG.password), false, 'the audit row carries no password');
  });

  it('keeps the password when a change leaves it out, and records before and after', async () => {
    const res = await api('admin', 'PUT', `/api/v1/trunks/${ids.reg}`, { ...REG, password: undefined, label: 'Provider', port: 5060 });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().label, 'Provider');
    const [row] = await app.db('trunks').where({ id: ids.reg });
    assert.equal(app.fieldCipher.open(row.password, 'trunks.password'), REG.password);
    assert.match(fileText(), /^password = Carrier-Pass-1$/m);
    assert.match(fileText(), /^server_uri = sip:sip\.example\.net:5060$/m);
    const [audit] = await audits('trunk.update');
    assert.equal(json(audit.before_json).port, 5080);
    assert.equal(json(audit.after_json).port, 5060);
  });

  it('refuses bad input on every field with a 400 or 409 that says what is wrong, and changes nothing', async () => {
    const before = { rows: await rows(), file: fileText(), audits: (await app.db('audit_log').count({ n: '*' }))[0] };
    const inject = 'x\n[evil]\ntype = endpoint';
    const cases: Array<[string, unknown, number, RegExp]> = [
      ['empty body', {}, 400, /not valid/],
      ['missing fields', { name: 'x1' }, 400, /kind|host/],
      ['wrong type: number name', { ...IP, name: 42, match: ['192.0.2.1'] }, 400, /name/],
      ['wrong type: object host', { ...IP, name: 'x1', host: { $gt: '' } }, 400, /host/],
      ['wrong type: string port', { ...IP, name: 'x1', match: ['192.0.2.1'], port: '5060' }, 400, /port/],
      ['wrong type: string match', { ...IP, name: 'x1', match: '192.0.2.1' }, 400, /match/],
      ['port out of range', { ...IP, name: 'x1', match: ['192.0.2.1'], port: 70000 }, 400, /port/],
      ['unknown kind', { ...IP, name: 'x1', kind: 'peer' }, 400, /kind/],
      ['unknown codec', { ...IP, name: 'x1', match: ['192.0.2.1'], codecs: ['g729'] }, 400, /codecs/],
      ['unknown field', { ...IP, name: 'x1', match: ['192.0.2.1'], context: 'from-phones' }, 400, /context|additional/i],
      ['oversized name', { ...IP, name: 'x'.repeat(41) }, 400, /name/],
      ['oversized label', { ...IP, name: 'x1', label: 'l'.repeat(65) }, 400, /label/],
      ['oversized host', { ...IP, name: 'x1', host: `${'a'.repeat(60)}.`.repeat(5) }, 400, /host/],
      ['too many match entries', { ...IP, name: 'x1', match: Array.from({ length: 17 }, (_, i) => `192.0.2.${i + 1}`) }, 400, /match/],
      ['injection in name', { ...IP, name: inject }, 400, /name/],
      ['injection in label', { ...IP, name: 'x1', match: ['192.0.2.1'], label: inject }, 400, /label/],
      ['injection in host', { ...IP, name: 'x1', match: ['192.0.2.1'], host: inject }, 400, /host/],
      ['injection in match', { ...IP, name: 'x1', match: ['192.0.2.1\nmatch = 0.0.0.0/0'] }, 400, /match/],
      ['injection in username', { ...REG, name: 'x1', username: inject }, 400, /username/],
      ['injection in password', { ...REG, name: 'x1', password: inject }, 400, /password/],
      ['comment in password', { ...REG, name: 'x1', password: 'abc;def' }, 400, /password/],
      ['injection in from-domain', { ...REG, name: 'x1', fromDomain: inject }, 400, /fromDomain|domain/],
      ['section in name', { ...IP, name: 'x1]', match: ['192.0.2.1'] }, 400, /name/],
      ['bad host', { ...IP, name: 'x1', match: ['192.0.2.1'], host: '999.1.1.1' }, 400, /not a host/],
      ['bad CIDR', { ...IP, name: 'x1', match: ['192.0.2.0/33'] }, 400, /not an IP address or network/],
      ['the whole internet', { ...IP, name: 'x1', match: ['0.0.0.0/0'] }, 400, /too wide/],
      ['this host', { ...IP, name: 'x1', host: '127.0.0.1', match: [] }, 400, /this host/],
      ['IP trunk on a DNS name without addresses', { ...IP, name: 'x1', host: 'sip.example.org', match: [] }, 400, /needs the addresses/],
      ['register without username', { ...REG, name: 'x1', username: undefined }, 400, /username/],
      ['register without password', { ...REG, name: 'x1', password: undefined }, 400, /password/],
      ['IP trunk with credentials', { ...IP, name: 'x1', match: ['192.0.2.1'], username: 'u', password: 'p' }, 400, /only a registering trunk/],
      ['outbound but disabled', { ...IP, name: 'x1', match: ['192.0.2.1'], enabled: false, outbound: true }, 400, /disabled trunk/],
      ['reserved name', { ...IP, name: 'transport-udp', match: ['192.0.2.1'] }, 400, /already uses/],
      ['duplicate name', { ...IP, match: ['192.0.2.1'] }, 409, /another trunk/],
      ['duplicate name in other case', { ...IP, name: 'CARRIER2', match: ['192.0.2.1'] }, 409, /another trunk/],
      ['the config trunk\'s name', { ...IP, name: 'carrier', match: ['192.0.2.1'] }, 409, /installed config/],
      ['a config phone\'s extension', { ...IP, name: '1001', match: ['192.0.2.1'] }, 409, /desk phone/],
      ['a managed phone\'s extension', { ...IP, name: '2001', match: ['192.0.2.1'] }, 409, /desk phone/],
      ['the config trunk\'s address', { ...IP, name: 'x1', match: ['127.0.0.2'] }, 409, /carrier/],
      ['inside another trunk\'s network', { ...IP, name: 'x1', host: '198.51.100.9', match: [] }, 409, /carrier2/],
    ];
    for (const [what, body, status, message] of cases) {
      const res = await api('admin', 'POST', '/api/v1/trunks', body);
      assert.equal(res.statusCode, status, `${what}: ${res.body}`);
      assert.match(res.json().error.message, message, `${what}: ${res.json().error.message}`);
    }
    const put = await api('admin', 'PUT', `/api/v1/trunks/${ids.ip}`, { ...IP, host: inject });
    assert.equal(put.statusCode, 400);
    assert.equal((await api('admin', 'PUT', '/api/v1/trunks/999999', IP)).statusCode, 404);
    assert.equal((await api('admin', 'DELETE', '/api/v1/trunks/999999')).statusCode, 404);
    assert.deepEqual(await rows(), before.rows, 'no row changed');
    assert.equal(fileText(), before.file, 'the PJSIP file is untouched');
    assert.deepEqual((await app.db('audit_log').count({ n: '*' }))[0], before.audits, 'no audit row for a refusal');
  });

  it('moves the outgoing calls to a trunk marked outbound, and refuses to disable or delete it', async () => {
    assert.equal(app.outboundRoute.current().endpoint, 'carrier');
    const res = await api('admin', 'PUT', `/api/v1/trunks/${ids.ip}`, { ...IP, outbound: true });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(app.outboundRoute.current(), { endpoint: 'carrier2', host: '203.0.113.10:5060' });
    const disable = await api('admin', 'PUT', `/api/v1/trunks/${ids.ip}`, { ...IP, enabled: false });
    assert.equal(disable.statusCode, 409);
    assert.match(disable.json().error.message, /carries the outgoing calls/);
    const del = await api('admin', 'DELETE', `/api/v1/trunks/${ids.ip}`);
    assert.equal(del.statusCode, 409);
    assert.equal((await rows()).length, 2);
    // Ticking another trunk takes the flag from the first.
    assert.equal((await api('admin', 'PUT', `/api/v1/trunks/${ids.reg}`, { ...REG, password: undefined, outbound: true })).statusCode, 200);
    assert.deepEqual((await rows()).map((r) => Boolean(r.outbound)), [false, true]);
    assert.equal(app.outboundRoute.current().endpoint, 'provider');
    assert.equal((await api('admin', 'PUT', `/api/v1/trunks/${ids.reg}`, { ...REG, password: undefined, outbound: false })).statusCode, 200);
    assert.equal(app.outboundRoute.current().endpoint, 'carrier', 'back to the config trunk');
  });

  it('shows the page to admins only, adds and changes trunks from its forms, and shows a refusal on the page', async () => {
    assert.equal((await api('supervisor', 'GET', '/admin/trunks')).statusCode, 403);
    assert.equal((await api('supervisor', 'GET', '/api/v1/trunks')).statusCode, 403);
    assert.equal((await api('supervisor', 'POST', '/api/v1/trunks', { ...IP, name: 'x2', match: ['192.0.2.2'] })).statusCode, 403);
    const page = await api('admin', 'GET', '/admin/trunks');
    assert.match(page.body, /data-name="carrier2"/);
    assert.match(page.body, /data-name="carrier"/, 'the config trunk is listed');
    const added = await postForm('/admin/trunks', { name: 'pagetrunk', label: 'From the page', kind: 'register', host: '192.0.2.50', port: '5060', match: '', username: 'pageuser', password: 'Page-Pass-1', fromDomain: '', codecs: 'alaw,ulaw', enabled: 'on' });
    assert.equal(added.statusCode, 303, added.body.slice(0, 500));
    const [row] = await app.db('trunks').where({ name: 'pagetrunk' });
    assert.equal(app.fieldCipher.open(row.password, 'trunks.password'), 'Page-Pass-1');
    assert.deepEqual(json(row.match_list), ['192.0.2.50'], 'identified by its host');
    const kept = await postForm(`/admin/trunks/${row.id}`, { name: 'pagetrunk', label: 'Renamed label', kind: 'register', host: '192.0.2.50', port: '5060', match: '', username: 'pageuser', password: '', codecs: 'alaw', enabled: 'on' });
    assert.equal(kept.statusCode, 303, kept.body.slice(0, 500));
    const [after] = await app.db('trunks').where({ id: row.id });
    assert.equal(app.fieldCipher.open(after.password, 'trunks.password'), 'Page-Pass-1', 'a blank password keeps the stored one');
    assert.equal(after.label, 'Renamed label');
    const bad = await postForm('/admin/trunks', { name: 'evil', kind: 'ip', host: 'a\n[evil]', match: '192.0.2.9', codecs: 'ulaw', enabled: 'on', password: 'not-shown-1' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="trunks-problem"/);
    assert.equal(bad.body.includes('not-shown-1'), false, 'a refused password is not sent back');
    assert.equal((await app.db('trunks').where({ name: 'evil' })).length, 0);
  });

  it('deletes a trunk: gone from the file and from the never-ban list, and audited', async () => {
    const res = await api('admin', 'DELETE', `/api/v1/trunks/${ids.ip}`);
    assert.equal(res.statusCode, 204, res.body);
    assert.doesNotMatch(fileText(), /carrier2/);
    assert.equal(app.sipGuard.isNeverBanned('198.51.100.77'), false);
    const [audit] = await audits('trunk.delete');
    assert.equal(json(audit.before_json).name, 'carrier2');
    assert.equal(audit.after_json, null);
  });

  it('never bans a registering carrier\'s host, which its calls are not matched by, and lets it go with the trunk', async () => {
    const body = { name: 'linehost', kind: 'register', host: '192.0.2.60', match: ['192.0.2.61'], username: 'acct77', password: 'Line-Pass-1' };
    assert.equal(app.sipGuard.isNeverBanned('192.0.2.60'), false, 'not protected before');
    const res = await api('admin', 'POST', '/api/v1/trunks', body);
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().match, ['192.0.2.61'], 'the identify keeps only the match given');
    assert.match(fileText(), /^context = from-trunk-line$/m);
    assert.equal(app.sipGuard.isNeverBanned('192.0.2.60'), true, 'the host');
    assert.equal(app.sipGuard.isNeverBanned('192.0.2.61'), true, 'the match');
    assert.equal((await api('admin', 'DELETE', `/api/v1/trunks/${res.json().id}`)).statusCode, 204);
    assert.equal(app.sipGuard.isNeverBanned('192.0.2.60'), false, 'gone with its trunk');
  });

  it('documents /api/v1/trunks in the OpenAPI description', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.ok(doc.paths['/api/v1/trunks']?.post?.requestBody, 'POST documented with its body');
    assert.ok(doc.paths['/api/v1/trunks/{id}']?.put);
  });
});
