import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallerGone } from '../../../server/ivr/ivr-io.js';
import type { PathEntry } from '../../../server/ivr/schemas.js';
import { collect, ERROR, flowOf, hangup, menu, play, queue, results, setup } from './fake-io.js';

describe('flow runner: lookups', () => {
  const flow = flowOf('main', 'ask', {
    ask: collect('account', 'find', 'operator'),
    find: { type: 'lookup', url: 'http://crm.local/customer', send: ['account', 'missing'], timeoutMs: 1500, into: 'crm', next: 'say', failed: 'operator' },
    say: { type: 'say', from: 'crm.balance', as: 'amount', next: 'route' },
    route: queue('accounts'),
    operator: queue('operator'),
  });

  it('sends the listed attributes it has, stores top-level scalar fields under into.field, and says the balance', async () => {
    const seen: unknown[] = [];
    const t = setup([flow], {
      answers: ['5551234'],
      lookup: async (url, query, timeoutMs) => {
        seen.push({ url, query, timeoutMs });
        return { balance: '12.50', vip: true, visits: 3, address: { city: 'Lyon' }, tags: ['a'], nothing: null };
      },
    });
    const { outcome, path } = await t.run();
    assert.deepEqual(seen, [{ url: 'http://crm.local/customer', query: { account: '5551234' }, timeoutMs: 1500 }]);
    assert.deepEqual(t.attrs, { account: '5551234', 'crm.balance': '12.50', 'crm.vip': 'true', 'crm.visits': '3' });
    assert.deepEqual(t.said.at(-1), { play: ['number:12', 'sound:digits/dollars', 'sound:vm-and', 'number:50'] });
    assert.deepEqual(outcome, { kind: 'queue', queue: 'accounts' });
    assert.deepEqual(results(path), ['ask:ok', 'find:ok', 'say:said', 'route:']);
  });

  it('lookup timeout goes to failed', async () => {
    const t = setup([flow], { answers: ['5551234'], lookup: async () => { throw new Error('timeout after 1500 ms'); } });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'queue', queue: 'operator' });
    assert.equal(path[1]?.result, 'failed');
    assert.ok(!Object.keys(t.attrs).some((k) => k.startsWith('crm.')));
  });

  it('a lookup that never answers is abandoned shortly after its time limit', async () => {
    const slow = flowOf('main', 'find', {
      find: { type: 'lookup', url: 'http://crm.local/x', send: [], timeoutMs: 100, into: 'crm', next: 'route', failed: 'operator' },
      route: queue('accounts'),
      operator: queue('operator'),
    });
    const t = setup([slow], { lookup: () => new Promise(() => {}) });
    const started = Date.now();
    assert.deepEqual((await t.run()).outcome, { kind: 'queue', queue: 'operator' });
    assert.ok(Date.now() - started < 3000);
  });

  it('an answer that is not a JSON object goes to failed', async () => {
    const t = setup([flow], { answers: ['5551234'], lookup: async () => [1, 2] as unknown as Record<string, unknown> });
    assert.deepEqual((await t.run()).outcome, { kind: 'queue', queue: 'operator' });
  });
});

describe('flow runner: jumps, path and safety', () => {
  it('a flow step continues at the other flow\'s start, and the path names both flows', async () => {
    const main = flowOf('main', 'hello', { hello: play('welcome', 'go'), go: { type: 'flow', flow: 'billing' } });
    const billing = flowOf('billing', 'm', { m: menu({ 1: 'q' }, 'q'), q: queue('billing') });
    const t = setup([main, billing], { answers: ['1'] });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'queue', queue: 'billing' });
    assert.deepEqual(path.map((e) => `${e.flow}/${e.step}:${e.result ?? ''}`), ['main/hello:', 'main/go:flow:billing', 'billing/m:option:1', 'billing/q:']);
  });

  it('a jump to a missing flow hangs up and logs an error', async () => {
    const main = flowOf('main', 'go', { go: { type: 'flow', flow: 'gone' } });
    const t = setup([main]);
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'hangup' });
    assert.equal(path[0]?.result, 'missing-flow');
    assert.ok(t.entries().some((e) => e.level === ERROR && e.target === 'gone'));
  });

  it('a missing start flow hangs up with an empty path', async () => {
    const t = setup([]);
    assert.deepEqual(await t.run('nowhere'), { outcome: { kind: 'hangup' }, path: [] });
  });

  it('every path entry is passed to onStep with an ISO time, and a failing onStep does not stop the call', async () => {
    const seen: PathEntry[] = [];
    const flow = flowOf('main', 'top', { top: menu({ 1: 'sales' }, 'sales'), sales: queue('sales') });
    const t = setup([flow], { answers: ['1'], now: new Date('2024-03-13T10:00:00Z') }, {
      onStep: async (e) => {
        seen.push(e);
        throw new Error('redis down');
      },
    });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'queue', queue: 'sales' });
    assert.deepEqual(seen, path);
    assert.ok(path.every((e) => e.at === '2024-03-13T10:00:00.000Z'));
  });

  it('startStep resumes at an agent step\'s failed route after the agent did not answer', async () => {
    const main = flowOf('main', 'agent', { agent: { type: 'agent', agent: '1001', failed: 'back' }, back: queue('sales') });
    const first = await setup([main]).run();
    assert.deepEqual(first.outcome, { kind: 'agent', agent: '1001' });
    const resumed = await setup([main], {}, { startStep: 'back' }).run();
    assert.deepEqual(resumed.outcome, { kind: 'queue', queue: 'sales' });
  });

  it('extension and hangup steps end the flow with their outcome', async () => {
    const ext = await setup([flowOf('main', 'x', { x: { type: 'extension', extension: '2001' } })]).run();
    assert.deepEqual(ext.outcome, { kind: 'extension', extension: '2001' });
    const bye = await setup([flowOf('main', 'x', { x: hangup() })]).run();
    assert.deepEqual(bye.outcome, { kind: 'hangup' });
  });

  it('lets CallerGone through when the caller hangs up during a prompt', async () => {
    const t = setup([flowOf('main', 'p', { p: play('welcome', 'q'), q: queue('sales') })], { playError: new CallerGone() });
    await assert.rejects(t.run(), CallerGone);
  });
});
