// Toll-fraud protection through the app (real MariaDB and Redis; refusals happen before
// anything is dialled, so no Asterisk is needed): international and premium numbers are
// refused for click to dial, transfers and callbacks until a rule allows them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
const outbound = async () => Number((await h.app.db('interactions').where({ direction: 'outbound' }).count({ n: '*' }))[0]?.n ?? 0);

describe('outbound dial rules', () => {
  before(async () => {
    h = await routingHarness({ crm: { countryCode: '86', internationalPrefix: '00', nationalPrefix: '0', nationalMinDigits: 8 }, trunk: { name: 'carrier', match: ['127.0.0.2'], outbound: '', premiumPrefixes: ['1600'] } });
  });

  after(async () => {
    await h?.close();
  });

  it('click to dial to an international or premium number is refused with a clear 403 and nothing is created', async () => {
    const before_ = await outbound();
    for (const [number, reason] of [['+44 20 7946 0000', 'international'], ['0033123456789', 'international'], ['+86 1600 123 4567', 'premium']] as const) {
      const res = await h.api('POST', '/api/v1/calls/dial', { number });
      assert.equal(res.statusCode, 403, `${number}: ${res.body}`);
      assert.equal(res.json().error.code, 'dial-refused');
      assert.match(res.json().error.message, new RegExp(reason === 'premium' ? 'premium-rate' : 'international numbers'));
    }
    const callback = await h.api('POST', '/api/v1/callbacks', { queue: 'support', number: '+447700900123' });
    assert.equal(callback.statusCode, 403, callback.body);
    assert.equal(await outbound(), before_, 'no interaction was opened for a refused number');
  });

  it('a rule allows a country, a longer rule denies a range inside it; both are audited', async () => {
    const uk = await h.api('POST', '/api/v1/dial-rules', { prefix: '0044', action: 'allow', label: 'UK customers' });
    assert.equal(uk.statusCode, 201, uk.body);
    const ukPremium = await h.api('POST', '/api/v1/dial-rules', { prefix: '00449', action: 'deny', label: 'UK premium' });
    assert.equal(ukPremium.statusCode, 201);
    assert.equal((await h.api('POST', '/api/v1/dial-rules', { prefix: '0044', action: 'deny', label: 'again' })).statusCode, 409);
    const denied = await h.api('POST', '/api/v1/callbacks', { queue: 'support', number: '+449098765432' });
    assert.equal(denied.statusCode, 403);
    assert.match(denied.json().error.message, /rule 00449: UK premium/);
    const allowed = await h.api('POST', '/api/v1/callbacks', { queue: 'support', number: '+447700900123' });
    assert.equal(allowed.statusCode, 201, allowed.body);
    await h.app.outbox.flush();
    const audit = (await h.api('GET', '/api/v1/audit?targetType=dial-rule')).json() as { items: Array<{ action: string; after: { prefix?: string } | null }> };
    assert.deepEqual(audit.items.map((a) => [a.action, a.after?.prefix]).reverse(), [['dial-rule.create', '0044'], ['dial-rule.create', '00449']]);
  });

  it('bad rules are refused with every problem named and change nothing', async () => {
    const before_ = (await h.api('GET', '/api/v1/dial-rules')).json() as unknown[];
    for (const body of [{ prefix: '+44', action: 'allow', label: 'x' }, { prefix: '0044', action: 'maybe', label: 'x' }, { prefix: '12', action: 'allow', label: '' }, { prefix: "1'; DROP TABLE dial_rules; --", action: 'deny', label: 'x' }, {}]) {
      const res = await h.api('POST', '/api/v1/dial-rules', body);
      assert.equal(res.statusCode, 422, `${JSON.stringify(body)} -> ${res.statusCode}`);
      assert.ok((res.json().error.details as unknown[]).length >= 1);
    }
    const page = await h.app.inject({
      method: 'POST', url: '/admin/dial-rules', headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: h.csrf, prefix: '<b>x</b>', action: 'allow', label: '<script>alert(1)</script>' }).toString(),
    });
    assert.equal(page.statusCode, 422);
    assert.ok(!page.body.includes('<script>alert(1)</script>'));
    assert.deepEqual((await h.api('GET', '/api/v1/dial-rules')).json(), before_);
  });

  it('the page lists the rules; deleting one from it takes it away; only admins may', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/admin/dial-rules', headers: { cookie: h.cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-prefix="0044"/);
    const rules = (await h.api('GET', '/api/v1/dial-rules')).json() as Array<{ id: number; prefix: string }>;
    const del = await h.app.inject({
      method: 'POST', url: `/admin/dial-rules/${rules.find((r) => r.prefix === '00449')!.id}/delete`,
      headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: h.csrf }).toString(),
    });
    assert.equal(del.statusCode, 303);
    assert.deepEqual(((await h.api('GET', '/api/v1/dial-rules')).json() as Array<{ prefix: string }>).map((r) => r.prefix), ['0044']);
    const cookie = await h.signInAs('supervisor');
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/v1/dial-rules', headers: { cookie, accept: 'application/json' } })).statusCode, 403);
  });
});
