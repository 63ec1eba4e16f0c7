import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FEWEST_CALLS_STRIDE, readyScore } from '../../../server/acd/routing/strategy.js';

const T0 = Date.parse('2025-03-03T09:00:00Z');

describe('how a strategy ranks ready agents (lower is offered first)', () => {
  it('longest idle: the agent idle since earlier ranks first', () => {
    const early = readyScore('longest_idle', { idleSinceMs: T0, callsToday: 9, lastOfferSeq: 9 });
    const late = readyScore('longest_idle', { idleSinceMs: T0 + 1000, callsToday: 0, lastOfferSeq: 0 });
    assert.ok(early < late);
  });

  it('fewest calls: fewer calls today wins over a longer idle time, idle time breaks ties', () => {
    const busyButIdleLong = readyScore('fewest_calls', { idleSinceMs: T0 - 3_600_000, callsToday: 3, lastOfferSeq: 0 });
    const fresh = readyScore('fewest_calls', { idleSinceMs: T0, callsToday: 2, lastOfferSeq: 0 });
    const freshLater = readyScore('fewest_calls', { idleSinceMs: T0 + 5, callsToday: 2, lastOfferSeq: 0 });
    assert.ok(fresh < busyButIdleLong);
    assert.ok(fresh < freshLater);
  });

  it('fewest calls stays an exact integer in a Redis double even for a very busy agent', () => {
    const score = readyScore('fewest_calls', { idleSinceMs: T0, callsToday: 5000, lastOfferSeq: 0 });
    assert.ok(Number.isSafeInteger(score));
    assert.equal(Math.floor(score / FEWEST_CALLS_STRIDE), 900);
  });

  it('round robin: a never-offered agent scores 0, otherwise the queue counter at its last offer', () => {
    assert.equal(readyScore('round_robin', { idleSinceMs: T0, callsToday: 4, lastOfferSeq: 0 }), 0);
    assert.equal(readyScore('round_robin', { idleSinceMs: T0, callsToday: 4, lastOfferSeq: 17 }), 17);
  });

  it('best skill ranks by idle time inside a level (levels are scanned by the pick)', () => {
    assert.equal(readyScore('best_skill', { idleSinceMs: T0, callsToday: 4, lastOfferSeq: 3 }), T0);
  });
});
