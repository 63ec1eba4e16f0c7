import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isOpen, isValidTimeZone, wallClock } from '../../../server/ivr/business-hours.js';
import type { Schedule } from '../../../server/ivr/schemas.js';

const weekdays = (timezone: string, from = '09:00', to = '17:00', holidays: string[] = []): Schedule =>
  ({ timezone, weekly: [{ days: [1, 2, 3, 4, 5], from, to }], holidays });
const at = (iso: string) => new Date(iso);

describe('business hours', () => {
  it('is open from the first minute of a range and closed from its last', () => {
    const s = weekdays('UTC');
    assert.equal(isOpen(s, at('2024-03-13T08:59:59Z')), false);
    assert.equal(isOpen(s, at('2024-03-13T09:00:00Z')), true);
    assert.equal(isOpen(s, at('2024-03-13T16:59:59Z')), true);
    assert.equal(isOpen(s, at('2024-03-13T17:00:00Z')), false);
  });

  it('is closed on days the range does not list', () => {
    assert.equal(isOpen(weekdays('UTC'), at('2024-03-16T10:00:00Z')), false); // Saturday
  });

  it('reads ranges as wall-clock time in the schedule\'s time zone', () => {
    const paris = weekdays('Europe/Paris');
    assert.equal(isOpen(paris, at('2024-03-13T08:30:00Z')), true); // 09:30 CET
    assert.equal(isOpen(paris, at('2024-03-13T16:30:00Z')), false); // 17:30 CET
  });

  it('takes the weekday from the schedule\'s time zone, not from UTC', () => {
    const saturdays: Schedule = { timezone: 'Asia/Tokyo', weekly: [{ days: [6], from: '00:00', to: '24:00' }], holidays: [] };
    assert.equal(isOpen(saturdays, at('2024-03-15T20:00:00Z')), true); // Friday in UTC, Saturday 05:00 in Tokyo
  });

  it('a range to 24:00 stays open until the last minute of the day', () => {
    const late = weekdays('UTC', '18:00', '24:00');
    assert.equal(isOpen(late, at('2024-03-15T23:59:30Z')), true); // Friday
    assert.equal(isOpen(late, at('2024-03-16T00:00:00Z')), false); // Saturday midnight
  });

  it('holiday closed: the whole local day, whatever the weekly ranges say', () => {
    const s: Schedule = { timezone: 'Europe/Paris', weekly: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }], holidays: ['2024-12-25'] };
    assert.equal(isOpen(s, at('2024-12-24T22:30:00Z')), true); // 23:30 on the 24th in Paris
    assert.equal(isOpen(s, at('2024-12-24T23:30:00Z')), false); // 00:30 on the 25th in Paris, still the 24th in UTC
    assert.equal(isOpen(s, at('2024-12-25T22:59:00Z')), false);
    assert.equal(isOpen(s, at('2024-12-25T23:00:00Z')), true); // midnight of the 26th in Paris
  });

  it('DST edge: opening time follows the local clock across the change, not a fixed offset', () => {
    const ny = weekdays('America/New_York');
    // Friday 8 March 2024, EST (UTC-5): 13:30Z is 08:30, before opening.
    assert.equal(isOpen(ny, at('2024-03-08T13:30:00Z')), false);
    // Monday 11 March 2024, EDT (UTC-4): the same 13:30Z is 09:30, open.
    assert.equal(isOpen(ny, at('2024-03-11T13:30:00Z')), true);
    assert.equal(isOpen(ny, at('2024-03-11T20:59:00Z')), true); // 16:59 EDT
    assert.equal(isOpen(ny, at('2024-03-11T21:00:00Z')), false); // 17:00 EDT
  });

  it('DST edge: on the night clocks jump, a range over the skipped hour opens at the first real minute after it', () => {
    // Sunday 31 March 2024 in Paris: 02:00 CET becomes 03:00 CEST at 01:00Z.
    const s: Schedule = { timezone: 'Europe/Paris', weekly: [{ days: [7], from: '02:30', to: '04:00' }], holidays: [] };
    assert.equal(isOpen(s, at('2024-03-31T00:59:00Z')), false); // 01:59 CET
    assert.equal(isOpen(s, at('2024-03-31T01:00:00Z')), true); // 03:00 CEST
    assert.equal(isOpen(s, at('2024-03-31T02:00:00Z')), false); // 04:00 CEST
  });

  it('DST edge: on the night clocks fall back, the repeated hour is open both times', () => {
    // Sunday 27 October 2024 in Paris: 03:00 CEST becomes 02:00 CET at 01:00Z.
    const s: Schedule = { timezone: 'Europe/Paris', weekly: [{ days: [7], from: '02:00', to: '03:00' }], holidays: [] };
    assert.equal(isOpen(s, at('2024-10-27T00:30:00Z')), true); // 02:30 CEST
    assert.equal(isOpen(s, at('2024-10-27T01:30:00Z')), true); // 02:30 CET
    assert.equal(isOpen(s, at('2024-10-27T02:00:00Z')), false); // 03:00 CET
  });

  it('reports midnight as minute 0, not 24:00', () => {
    assert.deepEqual(wallClock('UTC', at('2024-03-11T00:00:00Z')), { date: '2024-03-11', weekday: 1, minutes: 0 });
  });

  it('knows valid IANA time zones and throws for an unknown one', () => {
    assert.equal(isValidTimeZone('Asia/Shanghai'), true);
    assert.equal(isValidTimeZone('Mars/Olympus'), false);
    assert.throws(() => isOpen(weekdays('Mars/Olympus'), new Date()), RangeError);
  });
});
