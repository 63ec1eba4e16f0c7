// The blocker with real nftables, MariaDB and Redis (no Asterisk): bans become elements of our
// own table with the ban's remaining time as their kernel timeout, leave it when lifted or
// expired, and come back from the database after a restart. Only documentation addresses
// (RFC 5737/3849) go into a table named for this run, which is deleted at the end: the
// machine's other tests use loopback SIP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';
import { buildApp } from '../../../server/app.js';
import { NftFirewall, nftUnusable } from '../../../server/sipguard/nft-firewall.js';
import { createLogger } from '../../../server/core/logger.js';

const TABLE = `cc_sg_it_${process.pid}`;
const nft = (...args: string[]) => execFileSync('nft', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const dropTable = (name = TABLE) => {
  try {
    nft('delete', 'table', 'inet', name);
  } catch { /* not there */ }
};
interface Elem { val: string; timeout: number; expires: number }
/** The elements of one of our sets, as the kernel holds them. */
function elements(set: 'banned4' | 'banned6'): Elem[] {
  const out = JSON.parse(nft('-j', 'list', 'set', 'inet', TABLE, set)) as { nftables: Array<{ set?: { elem?: Array<{ elem: Elem }> } }> };
  return (out.nftables.find((o) => o.set)?.set?.elem ?? []).map((e) => e.elem);
}
const addresses = (set: 'banned4' | 'banned6' = 'banned4') => elements(set).map((e) => e.val).sort();

const why = await nftUnusable();
let h: Harness;
let restarted: FastifyInstance | undefined;

describe('SIP bans in nftables', { skip: why && `nft is not usable here (${why}): nothing to test against` }, () => {
  before(async () => {
    dropTable();
    h = await routingHarness({ sipGuard: { enabled: true, maxFailures: 3, windowSec: 60, banSec: 900, neverBan: ['198.51.100.0/24'], firewall: 'nftables', nftTable: TABLE, sipPorts: [5060, 5061] } });
    mkdirSync(join(h.config.asterisk.root, 'etc/asterisk'), { recursive: true });
  });

  after(async () => {
    await restarted?.close();
    await h?.close().catch(() => undefined);
    dropTable();
  });

  it('at start the table is there with empty sets and the drop rules on the SIP ports', () => {
    const table = nft('list', 'table', 'inet', TABLE);
    assert.match(table, /hook input priority filter - 10; policy accept;/);
    assert.match(table, /ip saddr @banned4 meta l4proto \{ tcp, udp \} th dport \{ 5060, 5061 \} counter name "dropped" drop/);
    assert.match(table, /ip6 saddr @banned6 .* drop/);
    assert.deepEqual(addresses(), []);
  });

  it('a ban puts the address in the set with the ban\'s time as its timeout; lifting it removes it at once', async () => {
    const res = await h.api('POST', '/api/v1/sip-bans', { address: '203.0.113.9', minutes: 10 });
    assert.equal(res.statusCode, 201, res.body);
    const [el] = elements('banned4');
    assert.equal(el?.val, '203.0.113.9');
    assert.ok(el.timeout >= 599 && el.timeout <= 600, `timeout ${el.timeout}s for a 10-minute ban`);
    assert.ok(el.expires > 590 && el.expires <= 600, `expires in ${el.expires}s`);

    assert.equal((await h.api('DELETE', `/api/v1/sip-bans/${res.json().id}`, {})).statusCode, 204);
    assert.deepEqual(addresses(), []);
  });

  it('failures from one address ban it in the kernel; IPv6 goes to its own set', async () => {
    for (let i = 0; i < 3; i++) await h.app.sipGuard.onSecurityEvent({ kind: 'InvalidAccountID', service: 'PJSIP', account: 'x', address: '203.0.113.20', eventId: `v4-${i}` });
    for (let i = 0; i < 3; i++) await h.app.sipGuard.onSecurityEvent({ kind: 'InvalidPassword', service: 'PJSIP', account: 'x', address: '2001:db8::7', eventId: `v6-${i}` });
    assert.deepEqual(addresses(), ['203.0.113.20']);
    const [v6] = elements('banned6');
    assert.equal(v6?.val, '2001:db8::7');
    assert.ok(v6.timeout >= 899 && v6.timeout <= 900, `timeout ${v6.timeout}s for sipGuard.banSec 900`);
  });

  it('loopback, the trunk and the never-ban networks never reach the sets, even from a row in the database', async () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '198.51.100.5']) {
      const res = await h.api('POST', '/api/v1/sip-bans', { address, minutes: 5 });
      assert.equal(res.statusCode, 409, `${address}: ${res.body}`);
      assert.equal(res.json().error.code, 'never-banned');
      for (let i = 0; i < 4; i++) await h.app.sipGuard.onSecurityEvent({ kind: 'InvalidAccountID', service: 'PJSIP', account: 'x', address, eventId: `${address}-${i}` });
    }
    // A row written before the address became protected (config changed) is not enforced either.
    await h.app.db('sip_bans').insert({ address: '127.0.0.2', reason: 'old', failures: 5, banned_at: new Date(), expires_at: new Date(Date.now() + 600000) });
    await h.app.sipGuard.sync('test');
    assert.deepEqual(addresses(), ['203.0.113.20']);
    await h.app.db('sip_bans').where({ address: '127.0.0.2' }).delete();
  });

  it('bad input bans nothing in the kernel', async () => {
    for (const body of [{ address: '203.0.113.30 }; flush ruleset', minutes: 5 }, { address: 'fe80::1%eth0', minutes: 5 }, { address: '203.0.113.31', minutes: 0 }]) {
      const res = await h.api('POST', '/api/v1/sip-bans', body);
      assert.ok([400, 422].includes(res.statusCode), `${JSON.stringify(body)} -> ${res.statusCode}`);
    }
    assert.deepEqual(addresses(), ['203.0.113.20']);
  });

  it('the page and the API say nftables is in use, with the dropped-packet count', async () => {
    const status = (await h.api('GET', '/api/v1/sip-bans/firewall')).json();
    assert.equal(status.backend, 'nftables');
    assert.equal(status.table, TABLE);
    assert.equal(typeof status.dropped, 'number');
    assert.equal(status.lastError, null);
    const page = await h.app.inject({ method: 'GET', url: '/admin/sip-bans', headers: { cookie: h.cookie } });
    assert.match(page.body, /id="enforcement" data-backend="nftables"/);
    assert.match(page.body, /id="nft-dropped">\d+</);
    assert.doesNotMatch(page.body, /id="nft-error"/);
  });

  it('when nft refuses, the ban still stands (and is in the ACL), the page shows the error, and the next change repairs the table', async () => {
    dropTable();
    nft('add', 'table', 'inet', TABLE);
    nft('add', 'set', 'inet', TABLE, 'banned4', '{ type ipv6_addr; }');
    const res = await h.api('POST', '/api/v1/sip-bans', { address: '203.0.113.60', minutes: 5 });
    assert.equal(res.statusCode, 201, res.body);
    const status = (await h.api('GET', '/api/v1/sip-bans/firewall')).json();
    assert.equal(status.backend, 'nftables');
    assert.match(status.lastError?.message ?? '', /nft -f -/);
    const page = await h.app.inject({ method: 'GET', url: '/admin/sip-bans', headers: { cookie: h.cookie } });
    assert.match(page.body, /id="nft-error"/);
    assert.match(readFileSync(join(h.config.asterisk.root, 'etc/asterisk/pjsip-bans.conf'), 'utf8'), /^deny = 203\.0\.113\.60\/32$/m);

    dropTable();
    assert.equal((await h.api('DELETE', `/api/v1/sip-bans/${res.json().id}`, {})).statusCode, 204);
    assert.equal((await h.api('GET', '/api/v1/sip-bans/firewall')).json().lastError, null);
    assert.deepEqual(addresses(), ['203.0.113.20']);
    assert.deepEqual(addresses('banned6'), ['2001:db8::7']);
  });

  it('an expired ban leaves the set when the expiry job runs', async () => {
    await h.app.db('sip_bans').whereNull('lifted_at').where({ address: '2001:db8::7' }).update({ expires_at: new Date(Date.now() - 1000) });
    assert.equal(await h.app.sipGuard.expire(), 1);
    assert.deepEqual(addresses('banned6'), []);
    assert.deepEqual(addresses(), ['203.0.113.20']);
  });

  it('after a restart (table gone, as after a reboot) the server writes the sets again from the database', async () => {
    await h.app.db('sip_bans').insert({ address: '203.0.113.40', reason: 'ended while down', failures: 5, banned_at: new Date(Date.now() - 7200000), expires_at: new Date(Date.now() - 60000) });
    await h.app.close();
    dropTable();
    restarted = await buildApp(h.config, { telephony: false });
    await restarted.ready();
    const [el, ...rest] = elements('banned4');
    assert.equal(el?.val, '203.0.113.20');
    assert.deepEqual(rest, [], 'a ban that ended while the server was down is not written back');
    assert.ok(el.timeout > 800 && el.timeout <= 900, `the remaining time, ${el.timeout}s, not a fresh ${900}s`);
  });
});

describe('nft failures are reported, never thrown', { skip: why && `nft is not usable here (${why})` }, () => {
  const log = createLogger('silent');
  after(() => dropTable(`${TABLE}_x`));

  it('a missing nft binary gives false and a last error, and the next good write clears it', async () => {
    const broken = new NftFirewall({ table: `${TABLE}_x`, ports: [5060], log, bin: '/nonexistent/nft' });
    assert.equal(await broken.apply(async () => [{ address: '203.0.113.50', timeoutSec: 60 }], 'test'), false);
    assert.match(broken.status().lastError?.message ?? '', /ENOENT/);
    assert.equal(await broken.dropped(), undefined);
  });

  it('a table nft refuses (a set of another type already there) is an error; once fixed the next write works', async () => {
    nft('add', 'table', 'inet', `${TABLE}_x`);
    nft('add', 'set', 'inet', `${TABLE}_x`, 'banned4', '{ type ipv6_addr; }');
    const fw = new NftFirewall({ table: `${TABLE}_x`, ports: [5060], log });
    assert.equal(await fw.apply(async () => [{ address: '203.0.113.51', timeoutSec: 60 }], 'test'), false);
    assert.ok(fw.status().lastError, 'the error is kept for the page');
    dropTable(`${TABLE}_x`);
    assert.equal(await fw.apply(async () => [{ address: '203.0.113.51', timeoutSec: 60 }], 'test'), true);
    assert.equal(fw.status().lastError, null);
    assert.match(nft('list', 'set', 'inet', `${TABLE}_x`, 'banned4'), /203\.0\.113\.51 timeout 1m/);
  });
});
