import type { Holiday, NamedSchedule, WeeklyRange } from '../../ivr/schemas.js';

// The hours page edits a schedule as two text boxes an admin can type in: one weekly range
// a line ("1-5 09:00-17:00", days ISO 1 = Monday .. 7 = Sunday, lists "1,3,5" or ranges) and
// one holiday a line ("2026-10-01 National Day"). Lines that do not read are reported by
// number; what does read goes to the schedule service, which checks meaning.

export interface Parsed<T> {
  value: T[];
  /** 1-based numbers of lines that could not be read. */
  badLines: number[];
}

const RANGE_LINE = /^([1-7](?:\s*[-,]\s*[1-7])*)\s+(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})$/;
const HOLIDAY_LINE = /^(\d{4}-\d{2}-\d{2})(?:\s+(.+))?$/;

function daysOf(spec: string): number[] {
  const days = new Set<number>();
  for (const part of spec.split(',')) {
    const [a, b] = part.split('-').map((x) => Number(x.trim()));
    for (let d = a as number; d <= (b ?? (a as number)); d++) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

const lines = (text: string) => text.split(/\r?\n/).map((l) => l.trim());

export function parseWeekly(text: string): Parsed<WeeklyRange> {
  const out: Parsed<WeeklyRange> = { value: [], badLines: [] };
  lines(text).forEach((line, i) => {
    if (!line) return;
    const m = RANGE_LINE.exec(line);
    const days = m ? daysOf(m[1] as string) : [];
    if (!m || !days.length) out.badLines.push(i + 1);
    else out.value.push({ days, from: m[2] as string, to: m[3] as string });
  });
  return out;
}

export function parseHolidays(text: string): Parsed<Holiday> {
  const out: Parsed<Holiday> = { value: [], badLines: [] };
  lines(text).forEach((line, i) => {
    if (!line) return;
    const m = HOLIDAY_LINE.exec(line);
    if (!m) out.badLines.push(i + 1);
    else out.value.push(m[2] ? { date: m[1] as string, label: m[2].trim() } : { date: m[1] as string });
  });
  return out;
}

/** Three or more consecutive days as a range ("1-5"), others as a list ("6,7", "1,3,5"). */
function daysText(days: number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const consecutive = sorted.every((d, i) => i === 0 || d === (sorted[i - 1] as number) + 1);
  return consecutive && sorted.length > 2 ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join(',');
}

export const weeklyText = (weekly: WeeklyRange[]) => weekly.map((r) => `${daysText(r.days)} ${r.from}-${r.to}`).join('\n');
export const holidaysText = (holidays: Holiday[]) => holidays.map((h) => (h.label ? `${h.date} ${h.label}` : h.date)).join('\n');

/** A stored schedule as the page's form shows it. */
export function scheduleForm(s: NamedSchedule) {
  return { id: s.id, name: s.name, timezone: s.timezone, version: s.version, weekly: weeklyText(s.weekly), holidays: holidaysText(s.holidays) };
}
