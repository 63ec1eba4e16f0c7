// The local days the per-day rollups are cut by (kpi/grains.ts dayStarts, day-rollups.ts):
// pure logic, no database.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dayStarts } from '../../../server/reports/kpi/grains.js';
import { chunksOfDays } from '../../../server/reports/day-rollups.js';

const iso = (sec: number) => new Date(sec * 1000).toISOString();
const at = (text: string) => Date.parse(text);

describe('local days for the day rollups', () => {
  it('cuts Berlin days at local midnight, with a 23-hour day when the clocks go forward', () => {
    const days = dayStarts('Europe/Berlin', at('2026-03-28T10:00:00Z'), at('2026-03-30T10:00:00Z'));
    assert.deepEqual(days.map(iso), ['2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z']);
    assert.equal(((days[2] as number) - (days[1] as number)) / 3600, 23);
  });

  it('gives the 25-hour day when the clocks go back', () => {
    const days = dayStarts('Europe/Berlin', at('2026-10-25T12:00:00Z'), at('2026-10-25T12:15:00Z'));
    assert.deepEqual(days.map(iso), ['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  });

  it('starts a +05:30 zone\'s days on a half hour', () => {
    const days = dayStarts('Asia/Kolkata', at('2026-03-01T18:29:00Z'), at('2026-03-01T18:31:00Z'));
    assert.deepEqual(days.map(iso), ['2026-02-28T18:30:00.000Z', '2026-03-01T18:30:00.000Z', '2026-03-02T18:30:00.000Z']);
  });

  it('gives one day for a range inside it, and nothing for an empty range', () => {
    assert.deepEqual(dayStarts('UTC', at('2026-11-20T10:00:00Z'), at('2026-11-20T10:15:00Z')).map(iso), ['2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z']);
    assert.deepEqual(dayStarts('UTC', at('2026-11-20T10:00:00Z'), at('2026-11-20T10:00:00Z')), []);
  });

  it('splits a long run of days into chunks that meet end to start', () => {
    const days = dayStarts('UTC', at('2026-01-01T00:00:00Z'), at('2026-03-01T00:00:00Z'));
    assert.equal(days.length, 60, '59 days and the end of the last');
    const chunks = chunksOfDays(days);
    assert.deepEqual(chunks.map((c) => c.length), [32, 29]);
    assert.equal(chunks[0]?.[31], chunks[1]?.[0]);
    assert.equal(chunks[1]?.[28], days[59]);
  });
});
