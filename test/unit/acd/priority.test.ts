import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { PriorityRules } from '../../../server/acd/schemas.js';
import { priorityOf, virtualTime } from '../../../server/acd/routing/priority.js';

/** The rules an admin gets by saving a queue without touching the priority section. */
const DEFAULTS: PriorityRules = Value.Default(PriorityRules, {}) as PriorityRules;
const MIN = 60_000;
const T0 = Date.parse('2025-03-03T09:00:00Z');

/** Callers in the order the waiting set serves them: lowest virtual time first. */
function served(callers: Array<{ name: string; enqueuedAtMs: number; attrs: Record<string, string> }>, rules = DEFAULTS): string[] {
  return callers
    .map((c) => ({ name: c.name, score: virtualTime(c.enqueuedAtMs, priorityOf(c.attrs, rules), rules.creditSec) }))
    .sort((a, b) => a.score - b.score)
    .map((c) => c.name);
}

describe('caller priority and queue order', () => {
  it('has the defaults the spec relies on: 300 s of credit, vip level', () => {
    assert.equal(DEFAULTS.creditSec, 300);
    assert.deepEqual(DEFAULTS.vipLevels, ['vip']);
  });

  it('given two waiting callers, the VIP is offered first', () => {
    const order = served([
      { name: 'regular', enqueuedAtMs: T0, attrs: {} },
      { name: 'vip', enqueuedAtMs: T0 + 30_000, attrs: { vip: 'true' } },
    ]);
    assert.deepEqual(order, ['vip', 'regular']);
  });

  it('a caller waiting 10 minutes overtakes a VIP who arrived 9 minutes later under the default credit', () => {
    const order = served([
      { name: 'patient', enqueuedAtMs: T0, attrs: {} },
      { name: 'vip', enqueuedAtMs: T0 + 9 * MIN, attrs: { level: 'vip' } },
    ]);
    assert.deepEqual(order, ['patient', 'vip']);
  });

  it('a VIP arriving within the credit (4 minutes later) is still ahead: priority is a bounded head start', () => {
    const order = served([
      { name: 'regular', enqueuedAtMs: T0, attrs: {} },
      { name: 'vip', enqueuedAtMs: T0 + 4 * MIN, attrs: { vip: 'true' } },
    ]);
    assert.deepEqual(order, ['vip', 'regular']);
  });

  it('gives 1 to vip=true and to any configured VIP level', () => {
    const rules = { ...DEFAULTS, vipLevels: ['vip', 'platinum'] };
    assert.equal(priorityOf({ vip: 'true' }, rules), 1);
    assert.equal(priorityOf({ level: 'platinum' }, rules), 1);
    assert.equal(priorityOf({ vip: 'yes' }, rules), 0, 'only the string "true" counts');
  });

  it('uses a customer level fixed priority, or the weighted score when that is higher', () => {
    const rules = { ...DEFAULTS, levels: { gold: 0.6 } };
    assert.equal(priorityOf({ level: 'gold' }, rules), 0.6);
    // 0.5 x 1 + 0.3 x 1 + 0.2 x 1 over a weight sum of 1 = 1, above gold's 0.6.
    assert.equal(priorityOf({ level: 'gold', value: '1', behaviour: '1', emotion: '1' }, rules), 1);
  });

  it('normalises the weighted score by the sum of the weights and clamps each attribute', () => {
    const rules = { ...DEFAULTS, weights: { value: 0.5, behaviour: 0.5, emotion: 0 } };
    assert.equal(priorityOf({ value: '1', behaviour: '0' }, rules), 0.5);
    assert.equal(priorityOf({ value: '7', behaviour: '-3' }, rules), 0.5, 'value clamps to 1, behaviour to 0');
    assert.equal(priorityOf({ value: 'lots', emotion: '1' }, rules), 0, 'not a number counts as 0; emotion weighs nothing');
  });

  it('gives 0 when nothing is known and when every weight is 0', () => {
    assert.equal(priorityOf({}, DEFAULTS), 0);
    assert.equal(priorityOf({ value: '1' }, { ...DEFAULTS, weights: { value: 0, behaviour: 0, emotion: 0 } }), 0);
  });

  it('ignores a level named like an Object property', () => {
    assert.equal(priorityOf({ level: 'constructor' }, DEFAULTS), 0);
  });

  it('turns priority into a head start of at most the credit, in whole milliseconds', () => {
    assert.equal(virtualTime(T0, 0, 300), T0);
    assert.equal(virtualTime(T0, 1, 300), T0 - 300_000);
    assert.ok(Number.isInteger(virtualTime(T0, 1 / 3, 7)));
  });
});
