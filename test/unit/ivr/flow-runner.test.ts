import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ENTRY_KEYS, MAX_STEPS, maskDigits } from '../../../server/ivr/flow-runner.js';
import { CallerGone } from '../../../server/ivr/ivr-io.js';
import { collect, ERROR, flowOf, hangup, menu, queue, results, setup, WARN } from './fake-io.js';

const twoLevel = flowOf('main', 'top', {
  top: menu({ 1: 'sales', 2: 'service' }, 'operator'),
  service: menu({ 1: 'billing', 2: 'support' }, 'operator', { prompt: [{ sound: 'service-menu' }] }),
  billing: queue('billing'),
  support: queue('support'),
  sales: queue('sales'),
  operator: queue('operator'),
});

describe('flow runner: menus', () => {
  it('given a two-level menu, pressing 2 then 1 ends in queue billing', async () => {
    const t = setup([twoLevel], { answers: ['2', '1'] });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'queue', queue: 'billing' });
    assert.deepEqual(path.map((e) => [e.step, e.type, e.input, e.result]), [
      ['top', 'menu', '2', 'option:2'],
      ['service', 'menu', '1', 'option:1'],
      ['billing', 'queue', undefined, undefined],
    ]);
    assert.deepEqual(t.said.map((s) => ('ask' in s ? s.ask : s.play)), [['sound:menu'], ['sound:service-menu']]);
  });

  it('waits timeoutSec for a single key, counted from the end of the prompt', async () => {
    const t = setup([twoLevel], { answers: ['1'] });
    await t.run();
    const first = t.said[0];
    assert.ok(first && 'ask' in first);
    assert.equal(first.options.maxDigits, 1);
    assert.equal(first.options.firstDigitTimeoutMs, 5000);
    assert.equal(first.options.terminator, undefined);
  });

  it('no input twice then the default route', async () => {
    const flow = flowOf('main', 'top', { top: menu({ 1: 'sales' }, 'operator', { maxRetries: 1 }), sales: queue('sales'), operator: queue('operator') });
    const t = setup([flow], { answers: ['', ''] });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'queue', queue: 'operator' });
    assert.deepEqual(results(path), ['top:timeout', 'top:default', 'operator:']);
    assert.equal(t.said.filter((s) => 'ask' in s).length, 2);
  });

  it('a wrong key plays the invalid prompt then retries', async () => {
    const flow = flowOf('main', 'top', {
      top: menu({ 1: 'sales' }, 'operator', { invalidPrompt: [{ sound: 'option-is-invalid' }] }),
      sales: queue('sales'),
      operator: queue('operator'),
    });
    const t = setup([flow], { answers: ['9', '1'] });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'queue', queue: 'sales' });
    assert.deepEqual(t.said.map((s) => ('ask' in s ? { ask: s.ask } : s)), [
      { ask: ['sound:menu'] },
      { play: ['sound:option-is-invalid'] },
      { ask: ['sound:menu'] },
    ]);
    assert.deepEqual(path.map((e) => [e.input, e.result]).slice(0, 2), [['9', 'invalid'], ['1', 'option:1']]);
  });

  it('with maxRetries 2, the menu is heard three times before the default route, the invalid prompt only before retries', async () => {
    const flow = flowOf('main', 'top', {
      top: menu({ 1: 'sales' }, 'operator', { invalidPrompt: [{ sound: 'invalid' }] }),
      sales: queue('sales'),
      operator: queue('operator'),
    });
    const t = setup([flow], { answers: ['7', '', '8'] });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'queue', queue: 'operator' });
    assert.deepEqual(t.said.map((s) => ('ask' in s ? 'ask' : 'play')), ['ask', 'play', 'ask', 'play', 'ask']);
    assert.deepEqual(results(path), ['top:invalid', 'top:timeout', 'top:default', 'operator:']);
  });

  it('a silent caller in a menu that loops to itself is hung up at the step cap', async () => {
    const flow = flowOf('main', 'top', { top: menu({ 1: 'sales' }, 'top', { maxRetries: 0 }), sales: queue('sales') });
    const t = setup([flow], { otherwise: '' });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'hangup' });
    assert.equal(path.length, MAX_STEPS);
    assert.ok(t.entries().some((e) => e.level === ERROR && /step limit/.test(e.msg)));
  });

  it('lets CallerGone through when the caller hangs up during a menu', async () => {
    const t = setup([twoLevel], { answers: [new CallerGone()] });
    await assert.rejects(t.run(), CallerGone);
  });
});

describe('flow runner: collect', () => {
  const flow = flowOf('main', 'ask', {
    ask: collect('account', 'thanks', 'operator', { minDigits: 6, maxDigits: 10, terminator: '#', invalidPrompt: [{ sound: 'try-again' }] }),
    thanks: queue('accounts'),
    operator: queue('operator'),
  });

  it('collected account digits are stored and masked in the path', async () => {
    const t = setup([flow], { answers: ['12345678'] });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'queue', queue: 'accounts' });
    assert.equal(t.attrs.account, '12345678');
    assert.deepEqual([path[0]?.input, path[0]?.result], ['****5678', 'ok']);
    const ask = t.said[0];
    assert.ok(ask && 'ask' in ask);
    // The terminator ends the entry; the key limit only bounds a caller who never presses it.
    assert.deepEqual([ask.options.maxDigits, ask.options.terminator, ask.options.firstDigitTimeoutMs], [MAX_ENTRY_KEYS, '#', 6000]);
    assert.ok(ask.options.interDigitTimeoutMs <= 6000);
  });

  it('too few digits, then nothing, then a star, end in failed with nothing stored', async () => {
    const t = setup([flow], { answers: ['123', '', '1234*678'] });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'queue', queue: 'operator' });
    assert.equal(t.attrs.account, undefined);
    assert.deepEqual(path.slice(0, 3).map((e) => [e.input, e.result]), [['**3', 'invalid'], ['', 'timeout'], ['*****678', 'failed']]);
    assert.equal(t.said.filter((s) => 'play' in s && s.play[0] === 'sound:try-again').length, 2);
  });

  it('a number longer than maxDigits before the terminator is refused, not cut short', async () => {
    const t = setup([flow], { answers: ['12345678901234', '1234567'] });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'queue', queue: 'accounts' });
    assert.deepEqual(path.slice(0, 2).map((e) => e.result), ['invalid', 'ok']);
    assert.equal(t.attrs.account, '1234567');
  });

  it('without a terminator, maxDigits is what ends the entry', async () => {
    const bare = flowOf('main', 'ask', { ask: collect('pin', 'thanks', 'operator', { minDigits: 4, maxDigits: 4 }), thanks: queue('accounts'), operator: queue('operator') });
    const t = setup([bare], { answers: ['1234'] });
    await t.run();
    const ask = t.said[0];
    assert.ok(ask && 'ask' in ask);
    assert.deepEqual([ask.options.maxDigits, ask.options.terminator], [4, undefined]);
  });

  it('masks at most the last four digits and never more than half, so a PIN stays hidden', () => {
    assert.equal(maskDigits('4111111111111111'), '************1111');
    assert.equal(maskDigits('1234'), '**34');
    assert.equal(maskDigits('7'), '*');
    assert.equal(maskDigits(''), '');
  });
});

describe('flow runner: hours, set, say, play, hangup', () => {
  const schedule = { timezone: 'Europe/Paris', weekly: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }], holidays: ['2024-12-25'] };
  const flow = flowOf('main', 'hours', { hours: { type: 'hours', schedule, open: 'open', closed: 'closed' }, open: queue('sales'), closed: { type: 'voicemail', mailbox: '100' } });

  it('out of hours goes to closed', async () => {
    const t = setup([flow], { now: new Date('2024-03-13T18:30:00Z') }); // Wednesday 19:30 in Paris
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'voicemail', mailbox: '100' });
    assert.equal(path[0]?.result, 'closed');
  });

  it('in hours goes to open', async () => {
    const t = setup([flow], { now: new Date('2024-03-13T08:30:00Z') }); // Wednesday 09:30 in Paris
    assert.deepEqual((await t.run()).outcome, { kind: 'queue', queue: 'sales' });
  });

  it('on a holiday goes to closed during what would be opening hours', async () => {
    const t = setup([flow], { now: new Date('2024-12-25T10:00:00Z') }); // Wednesday
    assert.deepEqual((await t.run()).outcome, { kind: 'voicemail', mailbox: '100' });
  });

  it('a set step merges attributes and a say step speaks one of them', async () => {
    const f = flowOf('main', 'set', {
      set: { type: 'set', attrs: { level: 'gold', due: '2024-03-15' }, next: 'say' },
      say: { type: 'say', from: 'due', as: 'date', next: 'bye' },
      bye: { type: 'hangup', prompt: [{ sound: 'goodbye' }] },
    });
    const t = setup([f]);
    t.attrs.language = 'en';
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'hangup' });
    assert.deepEqual(t.attrs, { language: 'en', level: 'gold', due: '2024-03-15' });
    assert.deepEqual(t.said, [
      { play: ['sound:digits/day-5', 'sound:digits/mon-2', 'sound:digits/h-15', 'number:2024'] },
      { play: ['sound:goodbye'] },
    ]);
    assert.deepEqual(results(path), ['set:', 'say:said', 'bye:']);
  });

  it('a say step whose attribute is missing or unspeakable is skipped with a warning', async () => {
    const f = flowOf('main', 'a', {
      a: { type: 'say', from: 'balance', as: 'amount', next: 'b' },
      b: { type: 'say', from: 'level', as: 'number', next: 'end' },
      end: hangup(),
    });
    const t = setup([f]);
    t.attrs.level = 'gold';
    const { path } = await t.run();
    assert.deepEqual(results(path), ['a:skipped', 'b:skipped', 'end:']);
    assert.equal(t.said.length, 0);
    const warnings = t.entries().filter((e) => e.level === WARN);
    assert.equal(warnings.length, 2);
    assert.ok(!JSON.stringify(warnings).includes('gold'), 'the value itself is not logged');
  });

  it('a play step plays its prompts in order and skips one that cannot be resolved', async () => {
    const f = flowOf('main', 'p', { p: { type: 'play', prompt: [{ sound: 'welcome' }, { upload: 7 }], next: 'q' }, q: queue('sales') });
    const t = setup([f]);
    t.deps.io.media = async (p) => {
      if ('upload' in p) throw new Error('upload 7 was deleted');
      return [`sound:${'sound' in p ? p.sound : ''}`];
    };
    await t.run();
    assert.deepEqual(t.said, [{ play: ['sound:welcome'] }]);
    assert.ok(t.entries().some((e) => e.level === ERROR && /prompt unavailable/.test(e.msg)));
  });
});
