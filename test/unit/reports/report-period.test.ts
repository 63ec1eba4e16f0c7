// Report periods, the schedules' due rule, the merge of day rows for a range, the charts'
// escaping and the page's formatting: pure logic, no database.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lastCompletePeriod, parsePeriod, periodState } from '../../../server/reports/period.js';
import { duePeriod } from '../../../server/reports/schedule-service.js';
import { mergeByKey } from '../../../server/reports/merge-rows.js';
import { barChartSvg } from '../../../server/reports/charts.js';
import { formatCell } from '../../../server/reports/report-tables.js';
import { localDay, hoursOf } from '../../../server/reports/local-time.js';
import { emptyCounters, kpisOf } from '../../../server/reports/kpi/index.js';
import type { KpiRow } from '../../../server/reports/kpi/query.js';
import type { Schedule } from '../../../server/reports/schemas.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return `${(e as { statusCode: number }).statusCode} ${(e as { code: string }).code}`;
  }
};

describe('report periods', () => {
  it('a week is the ISO week holding the day, Monday to Sunday, named by the year of its Thursday', () => {
    assert.deepEqual(pick(parsePeriod('weekly', '2026-11-21')), ['2026-11-16', '2026-11-22', '2026-W47']);
    assert.deepEqual(pick(parsePeriod('weekly', '2027-01-01')), ['2026-12-28', '2027-01-03', '2026-W53']);
    assert.deepEqual(pick(parsePeriod('weekly', '2025-12-31')), ['2025-12-29', '2026-01-04', '2026-W01']);
  });

  it('a month runs to its last day, February of a leap year included', () => {
    assert.deepEqual(pick(parsePeriod('monthly', '2028-02')), ['2028-02-01', '2028-02-29', '2028-02']);
  });

  it('refuses days that do not exist, absurd years, bad shapes, unknown periods and reversed or long ranges', () => {
    for (const [kind, value, want] of [
      ['daily', '2026-02-29', '400 invalid-report-date'], ['daily', '2026-2-1', '400 invalid-report-date'],
      ['daily', '1999-12-31', '400 invalid-report-date'], ['monthly', '2026-00', '400 invalid-report-date'],
      ['hourly', '2026-01-01', '400 invalid-report-period'], ['range', '2026-01-02..2026-01-01', '400 invalid-report-range'],
      ['range', '2026-01-01..2026-04-03', '400 invalid-report-range'], ['range', '2026-01-01..2026-04-02', 'no error'],
    ] as const) assert.equal(codeOf(() => parsePeriod(kind, value)), want, `${kind} ${value}`);
  });

  it('is future, current or past by the day in the contact center, not UTC', () => {
    const p = parsePeriod('daily', '2026-11-22');
    // 2026-11-21 17:00 UTC is already the 22nd in Shanghai.
    assert.equal(periodState(p, 'Asia/Shanghai', Date.parse('2026-11-21T17:00:00Z')), 'current');
    assert.equal(periodState(p, 'UTC', Date.parse('2026-11-21T17:00:00Z')), 'future');
    assert.equal(periodState(p, 'UTC', Date.parse('2026-11-23T00:00:00Z')), 'past');
  });

  it('a local day of a DST change has 23 or 25 hours', () => {
    assert.equal(hoursOf(localDay('Europe/Berlin', '2026-03-29')).length, 23);
    assert.equal(hoursOf(localDay('Europe/Berlin', '2026-10-25')).length, 25);
    assert.equal(hoursOf(localDay('Pacific/Kiritimati', '2026-03-10')).length, 24);
    assert.equal(localDay('Pacific/Kiritimati', '2026-03-10').from, Date.parse('2026-03-10T00:00:00+14:00'));
  });
});

const pick = (p: { from: string; to: string; key: string }) => [p.from, p.to, p.key];

describe('when a schedule is due', () => {
  const daily: Schedule = { id: 1, name: 'd', period: 'daily', sendTime: '07:00', recipients: ['a@b.cd'], language: 'en', enabled: true, lastPeriod: '2026-11-19', lastSentAt: null, lastError: null };
  const at = (local: string) => Date.parse(`${local}+08:00`);

  it('owes yesterday from its send time on, and nothing once yesterday is sent', () => {
    assert.equal(duePeriod(daily, 'Asia/Shanghai', at('2026-11-21T06:59:00')), undefined, 'the 19th was sent; the 20th not before 07:00');
    assert.equal(duePeriod(daily, 'Asia/Shanghai', at('2026-11-21T07:00:00'))?.key, '2026-11-20');
    assert.equal(duePeriod({ ...daily, lastPeriod: '2026-11-20' }, 'Asia/Shanghai', at('2026-11-21T23:00:00')), undefined);
    assert.equal(duePeriod({ ...daily, enabled: false }, 'Asia/Shanghai', at('2026-11-21T08:00:00')), undefined);
  });

  it('a weekly schedule catches up on Tuesday when Monday was missed, and a monthly one sends the last month', () => {
    const weekly = { ...daily, period: 'weekly' as const, lastPeriod: '2026-W46' };
    assert.equal(duePeriod(weekly, 'UTC', Date.parse('2026-11-24T03:00:00Z'))?.key, '2026-W47');
    assert.equal(lastCompletePeriod('monthly', 'UTC', Date.parse('2026-01-01T10:00:00Z')).key, '2025-12');
  });
});

const row = (key: string, c: Partial<ReturnType<typeof emptyCounters>>, h: Partial<KpiRow['handling']> = {}): KpiRow => ({
  from: 0, to: 1, label: 'd', key, name: key, queue: kpisOf({ ...emptyCounters(), ...c }),
  handling: { handled: 0, talkMs: 0, holdMs: 0, wrapMs: 0, ahtSec: null, transferred: 0, transferRate: null, repeatCalls: 0, fcr: null, csatResponses: 0, csatMean: null, csatTopShare: null, ...h },
});

describe('a range adds its day rows up', () => {
  it('sums counts and computes every ratio again from the sums', () => {
    const [q] = mergeByKey([
      row('q', { offered: 2, answered: 2, answeredWithinSl: 2, answeredWaitMs: 2000, maxWaitMs: 1500 }, { handled: 2, talkMs: 100000, csatResponses: 1, csatMean: 5 }),
      row('q', { offered: 3, answered: 1, abandoned: 2, answeredWaitMs: 40000, maxWaitMs: 40000 }, { handled: 1, talkMs: 50000, csatResponses: 3, csatMean: 3 }),
    ], 0, 2, 'r');
    assert.equal(q!.queue.offered, 5);
    assert.equal(q!.queue.serviceLevel, 2 / 3, 'not the mean of 100% and 0%');
    assert.equal(q!.queue.asaSec, 14);
    assert.equal(q!.queue.maxWaitSec, 40);
    assert.equal(q!.handling.ahtSec, 50);
    assert.equal(q!.handling.csatMean, 3.5, 'weighted by responses');
  });
});

describe('what the page prints', () => {
  it('a missing figure is a dash, never 0 or NaN', () => {
    assert.deepEqual([formatCell(null, 'percent'), formatCell(66.7, 'percent'), formatCell(18.25, 'seconds'), formatCell(0, 'count')], ['–', '66.7%', '18.3', '0']);
  });

  it('chart texts are escaped: a queue or label cannot add markup to the SVG', () => {
    const svg = barChartSvg({ title: '<script>x</script>', labels: ['"><img src=x>'], series: [{ name: 'a&b', color: '#000', values: [1] }] });
    assert.doesNotMatch(svg, /<script|<img/);
    assert.match(svg, /&#60;script&#62;/);
    assert.match(svg, /a&#38;b/);
  });
});
