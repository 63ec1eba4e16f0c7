import { dayKey, dayOf, type Interval } from './kpi/index.js';

// Local days and hours of the contact center's zone, built on the KPI engine's dayOf so a
// report and the engine cut the day at the same instant, DST days included.

/** The local day named YYYY-MM-DD, as epoch ms from its midnight to the next. */
export function localDay(timeZone: string, day: string): Interval {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  // Noon UTC is on the named day in most zones; far east or west of UTC it may fall on a
  // neighbour, which the key comparison puts right.
  let iv = dayOf(timeZone, Date.UTC(y, m - 1, d, 12));
  const key = dayKey(timeZone, iv.from);
  if (key < day) iv = dayOf(timeZone, iv.to);
  else if (key > day) iv = dayOf(timeZone, iv.from - 1);
  return iv;
}

/** The local hours of a day: usually 24, 23 or 25 on the days the clocks change. */
export function hoursOf(day: Interval): Interval[] {
  const out: Interval[] = [];
  for (let from = day.from; from < day.to; from += 3600000) out.push({ from, to: Math.min(from + 3600000, day.to) });
  return out;
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** HH:00 of an instant in the zone. */
export function localHourLabel(timeZone: string, at: number): string {
  let f = hourFormats.get(timeZone);
  if (!f) hourFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })));
  return f.format(at);
}

const stampFormats = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD HH:MM of an instant in the zone, for "generated at". */
export function localStamp(timeZone: string, at: number): string {
  let f = stampFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    stampFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
