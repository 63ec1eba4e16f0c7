import { localInstant } from '../core/time-zone.js';
import type { SearchQuery } from './schemas.js';
import { invalidCursor, invalidNumber, invalidTime, reversedRange, reversedTalk } from './errors.js';

// Pure: what a search's query string means, checked, before any SQL is built.

export interface SearchFilter {
  from?: Date;
  to?: Date;
  /** Whole numbers the caller id may have been delivered as (an indexed IN list). */
  numberForms?: string[];
  /** Digits that may appear anywhere in the caller id (a partial number). */
  numberDigits?: string;
  agentId?: number;
  queue?: string;
  disposition?: string;
  outcome?: string;
  direction?: string;
  minTalkMs?: number;
  maxTalkMs?: number;
}

/** Where a page starts: strictly older than this interaction (time, then id for ties). */
export interface Cursor {
  at: Date;
  id: string;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An ISO date or time; without a zone it is on the contact center's clock (`timeZone`), as a
 * manager typing "09:00" means. Dates that do not exist (Feb 30) are refused, not rolled over.
 */
export function parseTime(field: string, raw: string, timeZone = 'UTC'): Date {
  const m = TIME.exec(raw.trim());
  if (!m) throw invalidTime(field, raw);
  const [, y, mo, d, h = '00', mi = '00', s = '00', ms = '0', zone] = m;
  const date = zone
    ? new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms.padEnd(3, '0')}${zone}`)
    : new Date(localInstant(timeZone, Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0'))));
  const sameDay = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).toISOString().slice(0, 10) === `${y}-${mo}-${d}`;
  // Date() reads 24:00 as the next midnight: refused like any other hour that is not on a clock.
  const onClock = Number(h) < 24 && Number(mi) < 60 && Number(s) < 60;
  if (Number.isNaN(date.getTime()) || !sameDay || !onClock || Number(y) < 1970) throw invalidTime(field, raw);
  return date;
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/**
 * The filter of a query. `numberForms` turns a typed number into the forms a trunk may have
 * delivered it in (the CRM's rule); the digits typed also match as a part of a caller id.
 */
export function toFilter(q: SearchQuery, numberForms: (raw: string) => string[], timeZone = 'UTC'): SearchFilter {
  const f: SearchFilter = {};
  const from = blank(q.from);
  const to = blank(q.to);
  if (from) f.from = parseTime('from', from, timeZone);
  if (to) f.to = parseTime('to', to, timeZone);
  if (f.from && f.to && f.from >= f.to) throw reversedRange(f.from, f.to);
  const number = blank(q.number);
  if (number) {
    const compact = number.replace(/[\s().\-/]/g, '');
    if (!/^\+?[0-9]{1,20}$/.test(compact)) throw invalidNumber(number);
    f.numberDigits = compact.replace('+', '');
    f.numberForms = numberForms(number);
  }
  if (q.minTalk !== undefined && q.maxTalk !== undefined && q.minTalk > q.maxTalk) throw reversedTalk(q.minTalk, q.maxTalk);
  if (q.minTalk !== undefined) f.minTalkMs = q.minTalk * 1000;
  // maxTalk 30 keeps a call of 30.4 s: talk is stored in ms, the filter speaks whole seconds.
  if (q.maxTalk !== undefined) f.maxTalkMs = q.maxTalk * 1000 + 999;
  if (q.agent !== undefined) f.agentId = q.agent;
  for (const key of ['queue', 'disposition', 'outcome', 'direction'] as const) {
    const v = blank(q[key]);
    if (v) f[key] = v;
  }
  return f;
}

/** An opaque cursor: base64url of the time and id of the last row of a page. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  const [at, id, extra] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const date = at ? new Date(at) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !id || extra !== undefined || !/^[0-9a-zA-Z-]{1,36}$/.test(id)) throw invalidCursor();
  return { at: date, id };
}
