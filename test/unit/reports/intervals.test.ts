import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dayOf, dayKey, isValidTimeZone } from '../../../server/reports/kpi/index.js';

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
