import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OverflowRule } from '../../../server/acd/schemas.js';
import { dueStages, nextStageAt, widenedLevel } from '../../../server/acd/routing/overflow.js';

const T0 = Date.parse('2025-03-03T09:00:00Z');
const RULES: OverflowRule[] = [
  { afterSec: 20, action: { type: 'also_queue', queue: 'second-line' } },
  { afterSec: 10, action: { type: 'widen', level: 2 } },
  { afterSec: 180, action: { type: 'callback' } },
  { afterSec: 240, action: { type: 'widen', level: 1 } },
];
const at = (sec: number) => T0 + sec * 1000;
const kinds = (stages: ReturnType<typeof dueStages>) => stages.map((s) => s.rule.action.type);

describe('overflow stages', () => {
  it('before the first stage nothing is due', () => {
    assert.deepEqual(dueStages(RULES, T0, at(9.9), []), []);
  });

  it('after 20 s the also_queue stage is due, after the widen stage that came first', () => {
    const due = dueStages(RULES, T0, at(20), []);
    assert.deepEqual(kinds(due), ['widen', 'also_queue']);
    assert.deepEqual(due.map((s) => s.index), [1, 0]);
  });

  it('a stage fires once: those already fired are not due again', () => {
    assert.deepEqual(kinds(dueStages(RULES, T0, at(25), [1])), ['also_queue']);
    assert.deepEqual(dueStages(RULES, T0, at(25), [0, 1]), []);
  });

  it('a stage that takes the caller out of the queue is the last one', () => {
    assert.deepEqual(kinds(dueStages(RULES, T0, at(600), [0, 1])), ['callback']);
    assert.deepEqual(dueStages(RULES, T0, at(600), [0, 1, 2]), [], 'the caller left: the later widen never fires');
  });

  it('says when to wake up next', () => {
    assert.equal(nextStageAt(RULES, T0, []), at(10));
    assert.equal(nextStageAt(RULES, T0, [1, 0]), at(180));
    assert.equal(nextStageAt(RULES, T0, [0, 1, 2]), undefined);
    assert.equal(nextStageAt([], T0, []), undefined);
  });

  it('widening never narrows what a caller already accepts', () => {
    const widenTo3: OverflowRule = { afterSec: 0, action: { type: 'widen', level: 3 } };
    assert.equal(widenedLevel(4, widenTo3), 3);
    assert.equal(widenedLevel(2, widenTo3), 2);
  });
});
