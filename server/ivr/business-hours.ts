import type { Schedule, WeeklyRange } from './schemas.js';

// Opening hours are wall-clock times in the schedule's own time zone ("Mon-Fri 09:00-17:00
// in Europe/Paris"), so we never convert ranges to UTC: we convert the instant to local
// date and time with Intl and compare there. DST then needs no special case: on the day
// clocks jump, local times that do not exist are simply never seen.

/** Local date and time of an instant in a time zone. */
export interface WallClock {
  /** YYYY-MM-DD */
  date: string;
  /** ISO weekday, 1 = Monday ... 7 = Sunday */
  weekday: number;
  /** Minutes since local midnight, 0..1439 */
  minutes: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// Building a DateTimeFormat costs far more than using one; a call may check hours often.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, not hour12:false: the latter prints midnight as "24" in some ICU versions.
      hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the IANA time zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Throws RangeError for an unknown time zone. */
export function wallClock(timeZone: string, at: Date): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatFor(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const weekday = WEEKDAYS[parts.weekday ?? ''];
  if (!weekday) throw new RangeError(`unexpected weekday "${parts.weekday}" for ${timeZone}`);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** "09:30" -> 570; "24:00" -> 1440, so a range may run to the end of the day. */
export function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

function inRange(r: WeeklyRange, now: WallClock): boolean {
  // from >= to (overnight ranges) is refused by validation; at runtime it never opens,
  // which is the safer reading for a stored row that escaped validation.
  return r.days.includes(now.weekday) && toMinutes(r.from) <= now.minutes && now.minutes < toMinutes(r.to);
}

/** Whether the schedule is open at an instant. Holidays close the whole local day. */
export function isOpen(schedule: Schedule, at: Date): boolean {
  const now = wallClock(schedule.timezone, at);
  // `holidays` has a schema default, but a row stored before defaults were applied may lack it.
  if ((schedule.holidays ?? []).includes(now.date)) return false;
  return schedule.weekly.some((r) => inRange(r, now));
}
