import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { estimatedWaitSec, medianSec, shouldAnnounce, waitMinutesToAnnounce } from '../../../server/acd/routing/eta.js';

const T0 = Date.parse('2025-03-03T09:00:00Z');

describe('estimated wait', () => {
  it('with no history there is no estimate', () => {
    assert.equal(estimatedWaitSec(1, [], 3), undefined);
  });

  it('with nobody staffed there is no estimate', () => {
    assert.equal(estimatedWaitSec(1, [120, 180], 0), undefined);
  });

  it('callers ahead are served in batches of the staffed agents, each a median handle time', () => {
    const history = [100, 200, 300, 5000];
    assert.equal(medianSec(history), 250, 'one very long call does not drag the estimate');
    assert.equal(estimatedWaitSec(1, history, 2), 250);
    assert.equal(estimatedWaitSec(3, history, 2), 500);
    assert.equal(estimatedWaitSec(4, history, 2), 500);
  });

  it('ignores unusable handle times and positions', () => {
    assert.equal(medianSec([Number.NaN, -1, 0]), undefined);
    assert.equal(estimatedWaitSec(0, [60], 1), undefined);
  });

  it('announces whole minutes rounded up, never zero', () => {
    assert.equal(waitMinutesToAnnounce(undefined), undefined);
    assert.equal(waitMinutesToAnnounce(10), 1);
    assert.equal(waitMinutesToAnnounce(61), 2);
  });

  it('announces every N seconds from queue entry, never when N is 0', () => {
    assert.equal(shouldAnnounce(60, undefined, T0, T0 + 59_000), false);
    assert.equal(shouldAnnounce(60, undefined, T0, T0 + 60_000), true);
    assert.equal(shouldAnnounce(60, T0 + 60_000, T0, T0 + 100_000), false);
    assert.equal(shouldAnnounce(0, undefined, T0, T0 + 600_000), false);
  });
});
