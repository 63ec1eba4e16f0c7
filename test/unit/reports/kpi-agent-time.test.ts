// Agent state times, occupancy and utilisation (server/reports/kpi/agent-time.ts), and the
// report intervals (grains.ts), against cases worked out by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addStateTime, closedSlices, emptyAgentTime, openSlices, withRatios, type StateChange } from '../../../server/reports/kpi/agent-time.js';
import { intervalsOf, isoWeek, rangeOf, daysBetween, parseDay } from '../../../server/reports/kpi/grains.js';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const min = (m: number) => T0 + m * 60_000;
const change = (m: number, state: string, reason: string | null = null): StateChange => ({ at: min(m), state, reason });

describe('agent state time', () => {
  // 09:00 ready, 09:10 ringing, 09:10:30 on a call, 09:20 wrap-up, 09:25 ready,
  // 09:40 paused (lunch, unpaid) until 10:10, then break (paid) until 10:20, logged out.
  const day = [
    change(0, 'ready'), { at: min(10), state: 'ringing', reason: null }, { at: min(10.5), state: 'on_call', reason: null }, change(20, 'wrap_up'),
    change(25, 'ready'), change(40, 'paused', 'lunch'), change(70, 'paused', 'break'), change(80, 'logged_out'),
  ];
  const paid = (r: string) => r === 'break';

  it('splits segments at 15-minute edges', () => {
    const slices = closedSlices(day, min(0), min(120));
    const lunch = slices.filter((s) => s.state === 'paused' && s.reason === 'lunch').map((s) => [new Date(s.bucket * 1000).toISOString().slice(11, 16), s.ms / 60_000]);
    assert.deepEqual(lunch, [['09:30', 5], ['09:45', 15], ['10:00', 10]]);
    assert.equal(slices.reduce((a, s) => a + s.ms, 0), 80 * 60_000, 'logged-out time is no state time');
  });

  it('adds up per state and pause reason, with occupancy and utilisation as KPIS.md defines them', () => {
    const a = emptyAgentTime();
    for (const s of closedSlices(day, min(0), min(120))) addStateTime(a, s.state, s.reason, s.ms, paid);
    const k = withRatios(a);
    const m = (ms: number) => ms / 60_000;
    assert.deepEqual([m(k.loggedInMs), m(k.readyMs), m(k.ringingMs), m(k.talkingMs), m(k.wrapMs)], [80, 25, 0.5, 9.5, 5]);
    assert.deepEqual(k.pausedMs, { lunch: 30 * 60_000, break: 10 * 60_000 });
    assert.deepEqual([m(k.paidPausedMs), m(k.unpaidPausedMs)], [10, 30]);
    assert.equal(k.occupancy, 14.5 / (14.5 + 25), '(talk+hold 9.5 + wrap 5) / (that + ready 25); pauses excluded');
    assert.equal(k.utilisation, 14.5 / 80, 'busy / logged in');
  });

  it('keeps only the part of a segment inside the range, and leaves the running segment to openSlices', () => {
    const slices = closedSlices([change(-30, 'ready'), change(5, 'on_call')], min(0), min(60));
    assert.deepEqual(slices.map((s) => [s.state, s.ms / 60_000]), [['ready', 5]], 'from 09:00, not 08:30; on_call is still open');
    const open = openSlices(change(5, 'on_call'), min(20), min(0), min(60));
    assert.deepEqual(open.map((s) => s.ms / 60_000), [10, 5], '09:05-09:15 and 09:15-09:20');
  });

  it('has no ratios for an agent never logged in', () => {
    const k = withRatios(emptyAgentTime());
    assert.equal(k.occupancy, null);
    assert.equal(k.utilisation, null);
  });
});

describe('report intervals', () => {
  it('checks dates and counts days inclusively', () => {
    assert.equal(parseDay('2026-02-30'), undefined);
    assert.equal(parseDay('2026-2-3'), undefined);
    assert.equal(daysBetween('2026-11-01', '2026-11-30'), 30);
    assert.equal(daysBetween('2026-11-02', '2026-11-01'), 0);
  });

  it('labels ISO weeks from Monday, with the year of their Thursday', () => {
    assert.equal(isoWeek(2026, 11, 23), '2026-W48', 'a Monday');
    assert.equal(isoWeek(2026, 11, 22), '2026-W47', 'the Sunday before');
    assert.equal(isoWeek(2027, 1, 1), '2026-W53', 'a Friday: the week of 2026-12-31');
    assert.equal(isoWeek(2024, 12, 30), '2025-W01');
  });

  it('cuts a month into local days and hours, Shanghai midnight being 16:00 UTC', () => {
    const range = rangeOf('Asia/Shanghai', '2026-11-01', '2026-11-30');
    assert.equal(new Date(range.from).toISOString(), '2026-10-31T16:00:00.000Z');
    const days = intervalsOf('day', 'Asia/Shanghai', range);
    assert.equal(days.length, 30);
    assert.deepEqual([days[0]?.label, days[29]?.label], ['2026-11-01', '2026-11-30']);
    assert.equal(intervalsOf('hour', 'Asia/Shanghai', range).length, 720);
    assert.deepEqual(intervalsOf('week', 'Asia/Shanghai', range).map((w) => w.label), ['2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48', '2026-W49'], 'Sunday the 1st and Monday the 30th are weeks of their own');
    assert.deepEqual(intervalsOf('month', 'Asia/Shanghai', range).map((w) => w.label), ['2026-11']);
  });

  it('gives a DST day its 23 or 25 hours', () => {
    const spring = intervalsOf('hour', 'Europe/Berlin', rangeOf('Europe/Berlin', '2026-03-29', '2026-03-29'));
    assert.equal(spring.length, 23);
    assert.ok(!spring.some((h) => h.label.endsWith(' 02:00')), 'no 02:00 the night clocks go forward');
    const autumn = intervalsOf('15m', 'Europe/Berlin', rangeOf('Europe/Berlin', '2026-10-25', '2026-10-25'));
    assert.equal(autumn.length, 100, '25 hours of quarters');
    const day = intervalsOf('day', 'Europe/Berlin', rangeOf('Europe/Berlin', '2026-10-25', '2026-10-25'))[0];
    assert.equal((day!.to - day!.from) / 3_600_000, 25);
  });
});
