// Phone numbers as roles that do not need them see them (issue 6, PIPL). Pure functions: the
// web room decides per request whether the viewer's role sees numbers in full
// (config privacy.unmaskedRoles) and applies these in one place each for pages (the `phone`
// Handlebars helper), JSON answers and live feeds (maskNumbersIn) and CSV exports.
//
// The rule (docs/privacy.md), on the digits of the number (punctuation dropped, a leading +
// kept):
// - fewer than 7 digits: shown as it is. Those are desk phones, extensions and short codes
//   (call control dials 2-6 digits internally), not a customer's number.
// - anything that is not a number ("anonymous", "erased-...") is shown as it is: it holds
//   no digits worth hiding, and "anonymous" must stay readable.
// - otherwise the last 4 digits are shown; the 4 digits before them are hidden (all of them
//   when there are fewer); the digits before those are shown up to 5 (the country and area
//   or mobile prefix) and hidden beyond 5, so at least 4 digits are always hidden and a
//   long number never gives away more than 9:
//   +8613812345678 -> +86138****5678, 13812345678 -> 138****5678, 5551234 -> ***1234.

const MIN_MASKED_DIGITS = 7;
const TAIL = 4;
const HIDDEN = 4;
const MAX_PREFIX = 5;

/** The number as a role without the right to see it reads it. */
export function maskNumber(raw: string): string {
  const compact = raw.replace(/[\s().\-/]/g, '');
  if (!/^\+?[0-9]+$/.test(compact)) return raw;
  const plus = compact.startsWith('+') ? '+' : '';
  const digits = compact.slice(plus.length);
  if (digits.length < MIN_MASKED_DIGITS) return raw;
  const head = digits.length - TAIL;
  const prefix = Math.min(Math.max(head - HIDDEN, 0), MAX_PREFIX);
  return `${plus}${digits.slice(0, prefix)}${'*'.repeat(head - prefix)}${digits.slice(head)}`;
}

/** Whether a role sees numbers in full. No role (nobody signed in) never does. */
export function seesNumbers(role: string | undefined, unmaskedRoles: readonly string[]): boolean {
  return role !== undefined && unmaskedRoles.includes(role);
}

/**
 * The keys under which our JSON answers and live feeds carry a caller's or customer's number:
 * `callerNumber` (interactions, cards, the wallboard), `number` (callbacks, a transfer target,
 * a call event's data, the CRM lookup) and `numbers` (a customer's list). Agents' own numbers
 * and extensions use `number` too; they are short and the rule leaves them as they are.
 */
export const NUMBER_KEYS: ReadonlySet<string> = new Set(['callerNumber', 'number', 'numbers']);

const maskValue = (v: unknown): unknown =>
  typeof v === 'string' ? maskNumber(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? maskNumber(x) : x)) : v;

/**
 * A copy of a JSON value with every number under NUMBER_KEYS masked, at any depth.
 * Dates become their JSON text, as JSON.stringify would send them anyway.
 */
export function maskNumbersIn<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key && NUMBER_KEYS.has(key) ? maskValue(v) : v))) as T;
}
