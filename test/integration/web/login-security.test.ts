import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { buildApp } from '../../../server/app.js';
import { resetDatabase, testConfig } from '../../support/config.js';
import { api, csrfTokenIn, postForm, postLogin, signIn } from '../../support/web-session.js';

// Short limits so lockouts expire within the test: 3 failures per name, 8 per address, 2 s lock.
const LOGIN = { maxFailuresPerUser: 3, maxFailuresPerAddress: 8, windowSec: 60, lockoutSec: 2, passwordMinLength: 10, totpIssuer: 'CC Test' };
const ADMIN = { username: 'sec-admin', password: 'admin password 1', role: 'admin', displayName: 'Sec Admin' } as const;

let app: FastifyInstance;
let adminCookie: string;

async function makeUser(username: string, role: 'admin' | 'supervisor' | 'agent' = 'agent', password = `${username} secret pw`) {
  const user = await app.users.create({ username, password, role, displayName: username });
  return { ...user, password };
}

async function auditOf(action: string, targetId: number) {
  const res = await api(app, adminCookie, 'GET', `/api/v1/audit?action=${action}&targetType=user&targetId=${targetId}`);
  assert.equal(res.statusCode, 200);
  return res.json().items as Array<{ actorUsername: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>;
}

describe('sign-in security: lockout, password rules, sessions, two-step sign-in, audit', () => {
  before(async () => {
    const config = testConfig({ login: LOGIN });
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    await app.ready();
    await app.users.create(ADMIN);
    adminCookie = await signIn(app, ADMIN.username, ADMIN.password);
  });

  after(async () => {
    await app?.close();
  });

  it('locks a username after 3 wrong passwords, refuses even the right one with 429 and says when to retry, then unlocks by time', async () => {
    const u = await makeUser('locky');
    assert.equal((await postLogin(app, 'locky', 'wrong one 1')).res.statusCode, 401);
    assert.equal((await postLogin(app, 'locky', 'wrong one 2')).res.statusCode, 401);
    const third = (await postLogin(app, 'LOCKY', 'wrong one 3')).res;
    assert.equal(third.statusCode, 429, 'the name counts case-insensitively');
    const right = (await postLogin(app, 'locky', u.password)).res;
    assert.equal(right.statusCode, 429);
    assert.match(right.body, /id="login-locked"[^>]*>Too many failed sign-ins\. Try again in 1 minutes \(after [^)]+\)\./);
    assert.ok(Number(right.headers['retry-after']) >= 1 && Number(right.headers['retry-after']) <= 2);
    await sleep(2200);
    assert.equal((await postLogin(app, 'locky', u.password)).res.statusCode, 303);
  });

  it('limits one client address across many usernames', async () => {
    const from = '198.51.100.7';
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await postLogin(app, `nobody-${i}`, 'some guess here', from)).res.statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 401, 429]);
    assert.equal((await postLogin(app, ADMIN.username, ADMIN.password, from)).res.statusCode, 429);
    assert.equal((await postLogin(app, ADMIN.username, ADMIN.password, '198.51.100.8')).res.statusCode, 303, 'another address is not locked');
    await sleep(2100);
  });

  it('lets an admin unlock a locked user from the API, and writes it to the audit log', async () => {
    const u = await makeUser('unlockme');
    for (let i = 0; i < 3; i++) await postLogin(app, 'unlockme', `bad guess ${i}`);
    assert.equal((await postLogin(app, 'unlockme', u.password)).res.statusCode, 429);
    const res = await api(app, adminCookie, 'POST', `/api/v1/users/${u.id}/unlock`, {});
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { unlocked: true });
    assert.equal((await postLogin(app, 'unlockme', u.password)).res.statusCode, 303);
    const [row] = await auditOf('user.unlock', u.id);
    assert.equal(row?.actorUsername, ADMIN.username);
    assert.ok(row?.before?.lockedUntil, 'the audit row says until when it was locked');
  });

  it('refuses weak passwords with a clear message and creates nothing', async () => {
    const cases: Array<[string, RegExp]> = [
      ['short1', /at least 10 characters/],
      ['weakling01', /must not be the username/],
      ['Password123!', /too common/],
    ];
    for (const [password, message] of cases) {
      const res = await api(app, adminCookie, 'POST', '/api/v1/users', { username: 'weakling01', password, role: 'agent', displayName: 'Weak' });
      assert.equal(res.statusCode, 400, password);
      assert.equal(res.json().error.code, 'weak-password');
      assert.match(res.json().error.message, message);
    }
    assert.equal(await app.users.exists('weakling01'), false);
    const ok = await api(app, adminCookie, 'POST', '/api/v1/users', { username: 'weakling01', password: 'a much better passphrase', role: 'agent', displayName: 'Weak' });
    assert.equal(ok.statusCode, 201);
  });

  it('applies the rules to a changed password too, and the old one keeps working after a refusal', async () => {
    const u = await makeUser('changer');
    const cookie = await signIn(app, 'changer', u.password);
    const weak = await api(app, cookie, 'PUT', '/api/v1/me/password', { currentPassword: u.password, newPassword: 'qwertyuiop' });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().error.code, 'weak-password');
    const wrong = await api(app, cookie, 'PUT', '/api/v1/me/password', { currentPassword: 'not my password', newPassword: 'a fine new passphrase' });
    assert.equal(wrong.json().error.code, 'wrong-current-password');
    assert.ok(await app.users.authenticate('changer', u.password));
  });

  it('logs a user out everywhere: both sessions stop working, and the audit log says so', async () => {
    const u = await makeUser('twodevices');
    const laptop = await signIn(app, 'twodevices', u.password);
    const phone = await signIn(app, 'twodevices', u.password);
    assert.equal((await app.inject({ url: '/account', headers: { cookie: phone } })).statusCode, 200);
    const res = await postForm(app, laptop, '/account', '/account/logout-everywhere', {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login');
    for (const cookie of [laptop, phone]) assert.equal((await app.inject({ url: '/account', headers: { cookie } })).statusCode, 302);
    const [row] = await auditOf('user.logout-everywhere', u.id);
    assert.equal(row?.after?.sessionsEnded, 2);
  });

  it('ends every session when an admin sets a new password or deactivates the user, with audit rows without secrets', async () => {
    const u = await makeUser('victim');
    const cookie = await signIn(app, 'victim', u.password);
    const set = await api(app, adminCookie, 'PUT', `/api/v1/users/${u.id}/password`, { password: 'brand new passphrase' });
    assert.equal(set.statusCode, 204);
    assert.equal((await app.inject({ url: '/account', headers: { cookie } })).statusCode, 302);
    const [pw] = await auditOf('user.password', u.id);
    assert.deepEqual(pw?.after, { passwordChanged: true, sessionsEnded: 1 });
    assert.doesNotMatch(JSON.stringify(pw), /brand new passphrase|scrypt/);

    const again = await signIn(app, 'victim', 'brand new passphrase');
    const off = await api(app, adminCookie, 'PATCH', `/api/v1/users/${u.id}`, { active: false, role: 'supervisor' });
    assert.equal(off.statusCode, 200);
    assert.equal((await app.inject({ url: '/account', headers: { cookie: again } })).statusCode, 302);
    const [upd] = await auditOf('user.update', u.id);
    assert.equal(upd?.actorUsername, ADMIN.username);
    assert.deepEqual([upd?.before?.active, upd?.before?.role, upd?.after?.active, upd?.after?.role], [true, 'agent', false, 'supervisor']);
    const [created] = await auditOf('user.create', u.id);
    assert.equal(created?.after?.username, 'victim');
  });

  it('refuses bad user changes with a clear error and changes nothing', async () => {
    const me = (await app.users.list()).find((x) => x.username === ADMIN.username)!;
    const self = await api(app, adminCookie, 'PATCH', `/api/v1/users/${me.id}`, { active: false });
    assert.equal(self.statusCode, 409);
    assert.equal(self.json().error.code, 'own-account');
    const badRole = await api(app, adminCookie, 'PATCH', `/api/v1/users/${me.id}`, { role: 'root' });
    assert.equal(badRole.statusCode, 400);
    const missing = await api(app, adminCookie, 'PATCH', '/api/v1/users/999999', { displayName: 'x' });
    assert.equal(missing.statusCode, 404);
    const after = await app.users.get(me.id);
    assert.deepEqual([after.active, after.role], [true, 'admin']);
  });

  it('enrols a supervisor in TOTP from a QR code, then asks for a code at sign-in and accepts one computed here', async () => {
    const u = await makeUser('totpsuper', 'supervisor');
    const cookie = await signIn(app, 'totpsuper', u.password);
    const started = await postForm(app, cookie, '/account', '/account/totp/start', {});
    assert.equal(started.statusCode, 200);
    assert.match(started.body, /<img id="totp-qr" src="data:image\/svg\+xml;base64,/);
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(started.body)?.[1];
    assert.ok(secret);
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const wrong = await postForm(app, cookie, '/account', '/account/totp/confirm', { code: '000000' === totp.generate() ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 400);
    const confirmed = await postForm(app, cookie, '/account', '/account/totp/confirm', { code: totp.generate() });
    assert.equal(confirmed.statusCode, 200);
    const codes = [...confirmed.body.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1] as string);
    assert.equal(codes.length, 10);

    const first = await postLogin(app, 'totpsuper', u.password);
    assert.equal(first.res.statusCode, 200, 'the password alone does not sign in');
    assert.match(first.res.body, /id="totp-form"/);
    assert.equal((await app.inject({ url: '/account', headers: { cookie: first.cookie } })).statusCode, 302);
    const postCode = (code: string) => app.inject({
      method: 'POST', url: '/login/totp',
      headers: { cookie: first.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfTokenIn(first.res.body), code }).toString(),
    });
    // The code typed at enrolment is spent (no replay): the next step's code, within the accepted window.
    const ok = await postCode(totp.generate({ timestamp: Date.now() + 30000 }));
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const [row] = await auditOf('user.totp-enable', u.id);
    assert.deepEqual(row?.after, { totpEnabled: true, recoveryCodes: 10 });
    assert.doesNotMatch(JSON.stringify(row), new RegExp(secret));

    // A recovery code works once.
    const second = await postLogin(app, 'totpsuper', u.password);
    const viaRecovery = await app.inject({
      method: 'POST', url: '/login/totp',
      headers: { cookie: second.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfTokenIn(second.res.body), code: codes[0] as string }).toString(),
    });
    assert.equal(viaRecovery.statusCode, 303);
    const third = await postLogin(app, 'totpsuper', u.password);
    const reused = await app.inject({
      method: 'POST', url: '/login/totp',
      headers: { cookie: third.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfTokenIn(third.res.body), code: codes[0] as string }).toString(),
    });
    assert.equal(reused.statusCode, 401);
  });

  it('lets an admin reset a lost TOTP, after which the password alone signs in; agents cannot enrol', async () => {
    const u = (await app.users.list()).find((x) => x.username === 'totpsuper')!;
    const res = await api(app, adminCookie, 'DELETE', `/api/v1/users/${u.id}/totp`);
    assert.equal(res.statusCode, 204);
    await app.users.unlock(u.id, { userId: null, username: 'test' });
    assert.equal((await postLogin(app, 'totpsuper', 'totpsuper secret pw')).res.statusCode, 303);
    const [row] = await auditOf('user.totp-reset', u.id);
    assert.deepEqual([row?.before?.totpEnabled, row?.after?.totpEnabled], [true, false]);

    const agent = await makeUser('plainagent');
    const cookie = await signIn(app, 'plainagent', agent.password);
    const refused = await api(app, cookie, 'POST', '/api/v1/me/totp', {});
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'totp-not-for-role');
  });
});
