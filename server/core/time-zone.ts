// Times in the contact center's time zone (config timezone; KPIS.md counts intervals there),
// whatever the server's own zone is. Only Intl is used: no time-zone database of our own to keep current.

export interface Interval {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
export function wallClock(timeZone: string, at: number): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), mi: Number(parts.minute), s: Number(parts.second) };
}

/** The zone's offset from UTC at an instant, in ms (east positive). */
export function offsetAt(timeZone: string, at: number): number {
  const w = wallClock(timeZone, at);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens. Two passes take a DST change into account: a
 * time the clocks repeat takes its first occurrence; one they skip (which has no instant)
 * comes out read with the offset before the jump.
 */
export function localInstant(timeZone: string, y: number, m: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const guess = Date.UTC(y, m - 1, d, h, mi, s, ms);
  const first = guess - offsetAt(timeZone, guess);
  return guess - offsetAt(timeZone, first);
}

/** The instant a local midnight happens. */
export function localMidnight(timeZone: string, y: number, m: number, d: number): number {
  return localInstant(timeZone, y, m, d);
}

/** "YYYY-MM-DD HH:MM:SS" on the zone's wall clock: how pages print a moment. */
export function localText(timeZone: string, at: number): string {
  const w = wallClock(timeZone, at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.y}-${p(w.m)}-${p(w.d)} ${p(w.h)}:${p(w.mi)}:${p(w.s)}`;
}

/** The local day holding `at`: from its midnight to the next. */
export function dayOf(timeZone: string, at: number): Interval {
  const w = wallClock(timeZone, at);
  const next = new Date(Date.UTC(w.y, w.m - 1, w.d + 1));
  return { from: localMidnight(timeZone, w.y, w.m, w.d), to: localMidnight(timeZone, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()) };
}

/** YYYY-MM-DD of the local day holding `at`. */
export function dayKey(timeZone: string, at: number): string {
  const w = wallClock(timeZone, at);
  return `${w.y}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}
