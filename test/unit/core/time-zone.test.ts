import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dayOf, dayKey, isValidTimeZone, localInstant, localText } from '../../../server/core/time-zone.js';

describe('days in the contact center\'s time zone', () => {
  it('a day in Shanghai runs from 16:00 UTC to 16:00 UTC', () => {
    const at = Date.parse('2026-11-21T01:30:00Z');
    assert.deepEqual(dayOf('Asia/Shanghai', at), { from: Date.parse('2026-11-20T16:00:00Z'), to: Date.parse('2026-11-21T16:00:00Z') });
    assert.equal(dayKey('Asia/Shanghai', at), '2026-11-21');
    assert.equal(dayKey('UTC', at), '2026-11-21');
    assert.equal(dayKey('America/New_York', at), '2026-11-20');
  });

  it('the day clocks go forward has 23 hours, the day they go back 25', () => {
    const spring = dayOf('Europe/Berlin', Date.parse('2026-03-29T12:00:00Z'));
    assert.equal(spring.from, Date.parse('2026-03-28T23:00:00Z'));
    assert.equal((spring.to - spring.from) / 3_600_000, 23);
    const autumn = dayOf('Europe/Berlin', Date.parse('2026-10-25T12:00:00Z'));
    assert.equal(autumn.from, Date.parse('2026-10-24T22:00:00Z'));
    assert.equal((autumn.to - autumn.from) / 3_600_000, 25);
  });

  it('tells a known zone from a made-up one', () => {
    assert.equal(isValidTimeZone('Asia/Shanghai'), true);
    assert.equal(isValidTimeZone('Mars/Olympus'), false);
  });
});

describe('local wall-clock times', () => {
  it('reads a local time on the zone clock, either side of a DST change', () => {
    assert.equal(new Date(localInstant('Asia/Shanghai', 2026, 3, 10, 9, 30)).toISOString(), '2026-03-10T01:30:00.000Z');
    assert.equal(new Date(localInstant('America/New_York', 2026, 3, 7, 12, 0)).toISOString(), '2026-03-07T17:00:00.000Z');
    assert.equal(new Date(localInstant('America/New_York', 2026, 3, 9, 12, 0)).toISOString(), '2026-03-09T16:00:00.000Z');
    // 01:30 happens twice on 1 Nov 2026 in New York: the first (still EDT) is taken.
    assert.equal(new Date(localInstant('America/New_York', 2026, 11, 1, 1, 30)).toISOString(), '2026-11-01T05:30:00.000Z');
  });

  it('prints an instant on the zone clock', () => {
    assert.equal(localText('Asia/Shanghai', Date.parse('2026-03-09T16:05:09Z')), '2026-03-10 00:05:09');
    assert.equal(localText('UTC', Date.parse('2026-03-09T16:05:09.900Z')), '2026-03-09 16:05:09');
  });
});
