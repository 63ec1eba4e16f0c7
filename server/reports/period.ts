import { badRequest } from '../core/errors.js';
import { dayKey } from './kpi/index.js';
import type { Grain } from './kpi/query.js';

/** What a printable report covers: one day, one ISO week (Monday to Sunday), one month. */
export const PERIOD_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
/** Any span of whole days, FROM..TO, up to MAX_RANGE_DAYS: reported per day. Not scheduled. */
export const REPORT_KINDS = [...PERIOD_KINDS, 'range'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const MAX_RANGE_DAYS = 92;

export interface Period {
  kind: ReportKind;
  /** First and last local day, YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  /** How the period is named in URLs and headers: 2026-11-21, 2026-W47, 2026-11. */
  key: string;
  /** The grain of the whole period (one row per queue or agent) and of its chart rows. */
  grain: Grain;
  bucketGrain: Grain;
}

// Years outside this window are a typing mistake, not a report anyone wants; refusing
// them early keeps a query from walking a century of empty days.
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

export const invalidDate = (value: string, why: string) =>
  badRequest('invalid-report-date', `${JSON.stringify(value.slice(0, 40))} is not a report date: ${why}`);

/** A calendar date as a UTC Date, or a 400 saying what is wrong with it. */
export function parseDay(value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw invalidDate(value, 'expected YYYY-MM-DD');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) throw invalidDate(value, `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`);
  const date = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC rolls 2026-02-30 over to March: a date that does not come back unchanged does not exist.
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw invalidDate(value, 'no such day in the calendar');
  return date;
}

function parseMonth(value: string): Date {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  if (!m) throw invalidDate(value, 'expected YYYY-MM');
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw invalidDate(value, 'the month must be 01 to 12');
  return parseDay(`${m[1]}-${m[2]}-01`);
}

/** ISO 8601 week of a date: the week belongs to the year of its Thursday. */
export function isoWeekKey(monday: Date): string {
  const thursday = new Date(monday.getTime() + 3 * 86400000);
  const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / 86400000 / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${pad(week)}`;
}

export function parsePeriod(kind: string, value: string): Period {
  if (kind === 'daily') {
    const day = ymd(parseDay(value));
    return { kind, from: day, to: day, key: day, grain: 'day', bucketGrain: 'hour' };
  }
  if (kind === 'weekly') {
    const date = parseDay(value);
    const monday = new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * 86400000);
    return { kind, from: ymd(monday), to: ymd(new Date(monday.getTime() + 6 * 86400000)), key: isoWeekKey(monday), grain: 'week', bucketGrain: 'day' };
  }
  if (kind === 'monthly') {
    const first = parseMonth(value);
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
    return { kind, from: ymd(first), to: ymd(last), key: value, grain: 'month', bucketGrain: 'day' };
  }
  if (kind === 'range') return parseRange(value);
  throw badRequest('invalid-report-period', `${JSON.stringify(kind.slice(0, 20))} is not a report period: use daily, weekly, monthly or range`);
}

const invalidRange = (value: string, why: string) =>
  badRequest('invalid-report-range', `${JSON.stringify(value.slice(0, 40))} is not a report range: ${why}`);

/** FROM..TO, both days included; reversed or longer than MAX_RANGE_DAYS is refused. */
function parseRange(value: string): Period {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(value);
  if (!m) throw invalidRange(value, 'expected YYYY-MM-DD..YYYY-MM-DD');
  const [from, to] = [parseDay(m[1]!), parseDay(m[2]!)];
  if (to < from) throw invalidRange(value, 'it ends before it starts');
  const days = (to.getTime() - from.getTime()) / 86400000 + 1;
  if (days > MAX_RANGE_DAYS) throw invalidRange(value, `${days} days is more than ${MAX_RANGE_DAYS}: use monthly reports`);
  return { kind: 'range', from: ymd(from), to: ymd(to), key: `${ymd(from)}..${ymd(to)}`, grain: 'day', bucketGrain: 'day' };
}

/** Where a period stands against today in the contact center's zone. */
export function periodState(p: Period, timeZone: string, now: number): 'future' | 'current' | 'past' {
  const today = dayKey(timeZone, now);
  if (p.from > today) return 'future';
  return p.to >= today ? 'current' : 'past';
}

/** The period a schedule sends at `now`: the last complete day, week or month. */
export function lastCompletePeriod(kind: PeriodKind, timeZone: string, now: number): Period {
  const today = parseDay(dayKey(timeZone, now));
  if (kind === 'daily') return parsePeriod('daily', ymd(new Date(today.getTime() - 86400000)));
  if (kind === 'weekly') return parsePeriod('weekly', ymd(new Date(today.getTime() - 7 * 86400000)));
  const lastMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
  return parsePeriod('monthly', `${lastMonth.getUTCFullYear()}-${pad(lastMonth.getUTCMonth() + 1)}`);
}

/** Every local day of a period, YYYY-MM-DD. */
export function daysOf(p: Period): string[] {
  const out: string[] = [];
  for (let t = parseDay(p.from).getTime(), end = parseDay(p.to).getTime(); t <= end; t += 86400000) out.push(ymd(new Date(t)));
  return out;
}
