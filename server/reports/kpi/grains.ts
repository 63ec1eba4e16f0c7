import { BUCKET_SEC } from './cells.js';
import { dayOf, localMidnight, offsetAt } from '../../core/time-zone.js';
import type { Grain } from './query.js';

// The intervals of a report, in the contact center's time zone. Built from 15-minute steps
// grouped by their local label, so DST days (23 or 25 hours) and half-hour zones come out
// right without any arithmetic on offsets.

export interface LabelledInterval {
  /** Epoch ms, inclusive / exclusive. */
  from: number;
  to: number;
  label: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** YYYY-MM-DD -> [y, m, d], or undefined when it is no calendar date. */
export function parseDay(text: string): [number, number, number] | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  return check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d ? [y, mo, d] : undefined;
}

/** Days from `from` to `to` inclusive (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  const [a, b] = [parseDay(from), parseDay(to)];
  if (!a || !b) return NaN;
  return (Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86_400_000 + 1;
}

/** The instants a range of local days starts and ends at. */
export function rangeOf(timeZone: string, from: string, to: string): { from: number; to: number } {
  const [y1, m1, d1] = parseDay(from) as [number, number, number];
  const [y2, m2, d2] = parseDay(to) as [number, number, number];
  const next = new Date(Date.UTC(y2, m2 - 1, d2 + 1));
  return { from: localMidnight(timeZone, y1, m1, d1), to: localMidnight(timeZone, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()) };
}

/** ISO 8601 week of a calendar date: weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeek(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  const dow = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${pad(week)}`;
}

/** Wall-clock fields from an instant and the zone's offset then. */
function fieldsAt(at: number, offset: number): { y: number; m: number; d: number; h: number; mi: number } {
  const w = new Date(at + offset);
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate(), h: w.getUTCHours(), mi: w.getUTCMinutes() };
}

function labelOf(grain: Grain, at: number, offset: number): string {
  const w = fieldsAt(at, offset);
  const day = `${w.y}-${pad(w.m)}-${pad(w.d)}`;
  switch (grain) {
    case '15m': return `${day} ${pad(w.h)}:${pad(w.mi - (w.mi % 15))}`;
    case 'hour': return `${day} ${pad(w.h)}:00`;
    case 'day': return day;
    case 'week': return isoWeek(w.y, w.m, w.d);
    case 'month': return `${w.y}-${pad(w.m)}`;
  }
}

/**
 * The zone's offset at every step of a day from one Intl call (they are slow: a month of
 * steps would take a tenth of a second), unless the offset differs a day later: then that
 * day holds a DST change and each step asks Intl.
 */
function offsetsOf(timeZone: string): (at: number) => number {
  let dayStart = NaN;
  let dayOffset = 0;
  let uniform = true;
  return (at) => {
    if (!(at >= dayStart && at < dayStart + 86_400_000)) {
      dayStart = at;
      dayOffset = offsetAt(timeZone, at);
      uniform = offsetAt(timeZone, at + 86_400_000) === dayOffset;
    }
    return uniform ? dayOffset : offsetAt(timeZone, at);
  };
}

/**
 * The intervals of a grain that cover [range.from, range.to), in order. A week or month
 * cut by the range is cut there too (a report of 3 days by week has one short week).
 * On the night DST ends, the repeated local hour is one two-hour 'hour' interval.
 */
export function intervalsOf(grain: Grain, timeZone: string, range: { from: number; to: number }): LabelledInterval[] {
  const out: LabelledInterval[] = [];
  const step = BUCKET_SEC * 1000;
  const offset = offsetsOf(timeZone);
  for (let t = range.from; t < range.to; t += step) {
    const label = labelOf(grain, t, offset(t));
    const last = out[out.length - 1];
    if (last && last.label === label && last.to === t) last.to = t + step;
    else out.push({ from: t, to: t + step, label });
  }
  return out;
}

/**
 * The local days overlapping [fromMs, toMs): their starts, then the end of the last one, in
 * epoch seconds (what the day rollups are cut by). Days come from intervalsOf, so a DST day
 * of 23 or 25 hours and a zone whose days start on a half hour are cut where reports cut them.
 */
export function dayStarts(timeZone: string, fromMs: number, toMs: number): number[] {
  if (!(toMs > fromMs)) return [];
  const range = { from: dayOf(timeZone, fromMs).from, to: dayOf(timeZone, toMs - 1).to };
  return [...intervalsOf('day', timeZone, range).map((iv) => iv.from / 1000), range.to / 1000];
}
