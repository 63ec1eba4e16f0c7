// The blocker with real MariaDB and Redis (no Asterisk: the ACL file is written into a
// temporary root and the reload waits for AMI): counting, banning, expiry, the API and page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
let aclFile: string;
let n = 0;
const event = (address: string, kind = 'ChallengeResponseFailed', eventId = `ev-${++n}`) =>
  h.app.sipGuard.onSecurityEvent({ kind, service: 'PJSIP', account: '1001', address, eventId });
const active = async () => (await h.api('GET', '/api/v1/sip-bans')).json() as Array<{ id: number; address: string; failures: number; reason: string }>;
const acl = () => (existsSync(aclFile) ? readFileSync(aclFile, 'utf8') : '');

describe('SIP attack blocker', () => {
  before(async () => {
    h = await routingHarness({ sipGuard: { enabled: true, maxFailures: 3, windowSec: 60, banSec: 120, neverBan: ['198.51.100.0/24'], aclFile: '/etc/asterisk/pjsip-bans.conf', firewall: 'acl' } });
    aclFile = join(h.config.asterisk.root, 'etc/asterisk/pjsip-bans.conf');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(h.config.asterisk.root, 'etc/asterisk'), { recursive: true });
  });

  after(async () => {
    await h?.close();
  });

  it('the third failure within the window bans the address and writes it into the ACL', async () => {
    await event('203.0.113.9');
    await event('203.0.113.9', 'InvalidAccountID');
    assert.deepEqual(await active(), []);
    await event('203.0.113.9');
    const bans = await active();
    assert.equal(bans.length, 1);
    assert.equal(bans[0]?.address, '203.0.113.9');
    assert.equal(bans[0]?.failures, 3);
    assert.match(bans[0]?.reason ?? '', /3 failed SIP requests/);
    assert.match(acl(), /^deny = 203\.0\.113\.9\/32$/m);
  });

  it('the same event heard twice (two instances) counts once; normal events never count', async () => {
    await event('203.0.113.20', 'ChallengeResponseFailed', 'same');
    await event('203.0.113.20', 'ChallengeResponseFailed', 'same');
    await event('203.0.113.20', 'ChallengeSent');
    await event('203.0.113.20', 'SuccessfulAuth');
    await event('203.0.113.20');
    assert.ok(!(await active()).some((b) => b.address === '203.0.113.20'));
  });

  it('this host, the trunk and the never-ban networks are never banned, however often they fail', async () => {
    for (let i = 0; i < 5; i++) {
      await event('127.0.0.1');
      await event('127.0.0.2');
      await event('198.51.100.77');
    }
    assert.deepEqual((await active()).map((b) => b.address), ['203.0.113.9']);
    const refused = await h.api('POST', '/api/v1/sip-bans', { address: '127.0.0.2', minutes: 5 });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'never-banned');
  });

  it('an admin bans by hand and lifts; both are in the ACL file and the audit log', async () => {
    const res = await h.api('POST', '/api/v1/sip-bans', { address: '192.0.2.50', minutes: 10, reason: 'seen in the logs' });
    assert.equal(res.statusCode, 201, res.body);
    assert.match(acl(), /^deny = 192\.0\.2\.50\/32$/m);
    assert.equal((await h.api('DELETE', `/api/v1/sip-bans/${res.json().id}`, {})).statusCode, 204);
    assert.doesNotMatch(acl(), /192\.0\.2\.50/);
    assert.equal((await h.api('DELETE', `/api/v1/sip-bans/${res.json().id}`, {})).statusCode, 404);
    await h.app.outbox.flush();
    const audit = (await h.api('GET', '/api/v1/audit?targetType=sip-ban')).json() as { items: Array<{ action: string }> };
    assert.deepEqual(audit.items.map((a) => a.action).reverse(), ['sip-ban.create', 'sip-ban.lift']);
  });

  it('bad input is refused with a clear message and bans nothing', async () => {
    for (const body of [{ address: 'not-an-ip', minutes: 5 }, { address: '1.2.3.4; drop', minutes: 5 }, { address: '192.0.2.9', minutes: 0 }, { address: '192.0.2.9' }]) {
      const res = await h.api('POST', '/api/v1/sip-bans', body);
      assert.ok(res.statusCode === 400 || res.statusCode === 422, `${JSON.stringify(body)} -> ${res.statusCode} ${res.body}`);
    }
    const page = await h.app.inject({
      method: 'POST', url: '/admin/sip-bans', headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: h.csrf, address: '<script>x</script>', minutes: '5' }).toString(),
    });
    assert.equal(page.statusCode, 400);
    assert.ok(!page.body.includes('<script>x</script>'), 'the bad address is shown as text');
    assert.deepEqual((await active()).map((b) => b.address), ['203.0.113.9']);
  });

  it('an expired ban is lifted and leaves the ACL; the page lists it as history', async () => {
    await h.app.db('sip_bans').whereNull('lifted_at').update({ expires_at: new Date(Date.now() - 1000) });
    assert.equal(await h.app.sipGuard.expire(), 1);
    assert.deepEqual(await active(), []);
    assert.doesNotMatch(acl(), /type = acl/);
    const page = await h.app.inject({ method: 'GET', url: '/admin/sip-bans', headers: { cookie: h.cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="no-bans"/);
    assert.match(page.body, /<td>203\.0\.113\.9<\/td>.*<td>expiry<\/td>/s);
  });

  it('with sipGuard.firewall acl, the page and the API say the ACL alone enforces bans, and why', async () => {
    const status = (await h.api('GET', '/api/v1/sip-bans/firewall')).json();
    assert.deepEqual(status, { backend: 'acl', why: 'sipGuard.firewall is acl' });
    const page = await h.app.inject({ method: 'GET', url: '/admin/sip-bans', headers: { cookie: h.cookie } });
    assert.match(page.body, /id="enforcement" data-backend="acl"/);
    assert.match(page.body, /id="acl-only">[^<]*403 Forbidden[^<]*sipGuard\.firewall is acl/);
  });

  it('only admins see the bans', async () => {
    const cookie = await h.signInAs('supervisor');
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/sip-bans', headers: { cookie, accept: 'application/json' } });
    assert.equal(res.statusCode, 403);
    const status = await h.app.inject({ method: 'GET', url: '/api/v1/sip-bans/firewall', headers: { cookie, accept: 'application/json' } });
    assert.equal(status.statusCode, 403);
  });
});
