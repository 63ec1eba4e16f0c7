import type { IvrLanguage } from './ivr-io.js';

// Turns an attribute value into ARI media URIs. ARI `play` understands sound:, recording:,
// number:, digits:, characters: and tone:, and has no date: or money: media, so dates and
// amounts are assembled from Asterisk's core sound files. Every file named below was checked
// in Debian's asterisk-core-sounds-en (en_US_f_Allison): digits/day-0..6 (0 = Sunday),
// digits/mon-0..11 (0 = January), digits/h-1..h-20 and h-30 (ordinals), digits/20,
// digits/30, digits/dollars, digits/minus, letters/dollar, letters/dot and vm-and.
// That set has no "cents" (nor "point") recording, so an amount is spoken as
// "twelve dollars and fifty"; SOUNDS.cents can name a custom recording once one exists.
//
// Mandarin: no Chinese core sounds are installed, and Asterisk falls back to the English
// files for a language it has no files for. Chinese number grammar (shi, bai, wan) spoken
// with English files would be garbled, so for 'zh' we speak everything digit by digit,
// which stays correct whatever language the files end up in.

export type SayAs = 'number' | 'digits' | 'date' | 'amount';

export const SOUNDS = {
  weekday: (sundayZero: number) => `sound:digits/day-${sundayZero}`,
  month: (januaryZero: number) => `sound:digits/mon-${januaryZero}`,
  dollars: 'sound:digits/dollars',
  dollar: 'sound:letters/dollar',
  and: 'sound:vm-and',
  /** Not in the core sounds; set to e.g. 'sound:custom/cents' when a recording is added. */
  cents: undefined as string | undefined,
  minus: 'sound:digits/minus',
  dot: 'sound:letters/dot',
};

// ARI parses number: media with sscanf("%30d") into a C int.
const INT_MAX = 2_147_483_647;
const MAX_DIGITS = 64;

/** Media for a value, or undefined when the value cannot be spoken that way. */
export function sayMedia(value: string, as: SayAs, language: IvrLanguage): string[] | undefined {
  const v = value.trim();
  switch (as) {
    case 'number': return sayNumber(v, language);
    case 'digits': return sayDigits(v);
    case 'date': return sayDate(v, language);
    case 'amount': return sayAmount(v, language);
  }
}

function sayNumber(v: string, language: IvrLanguage): string[] | undefined {
  if (!/^-?\d{1,10}$/.test(v)) return undefined;
  const n = Number(v);
  if (Math.abs(n) > INT_MAX) return undefined;
  if (language === 'zh') return n < 0 ? [SOUNDS.minus, `digits:${-n}`] : [`digits:${n}`];
  return [`number:${n}`];
}

function sayDigits(v: string): string[] | undefined {
  return new RegExp(`^[0-9*#]{1,${MAX_DIGITS}}$`).test(v) ? [`digits:${v}`] : undefined;
}

/** Accepts YYYY-MM-DD, or an ISO timestamp whose date part is taken as written. */
function sayDate(v: string, language: IvrLanguage): string[] | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(v);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2024-02-30 over into March; a real date survives the round trip.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  if (language === 'zh') return [`digits:${m[1]}`, `digits:${month}`, `digits:${day}`];
  // The order Asterisk's own English SayDate uses: "Friday, March fifteenth, 2024".
  return [SOUNDS.weekday(d.getUTCDay()), SOUNDS.month(month - 1), ...ordinal(day), `number:${year}`];
}

/** "fifteenth" from h-15; "twenty-first" from 20 + h-1, as Asterisk's SayEnumeration does. */
function ordinal(day: number): string[] {
  if (day <= 20 || day % 10 === 0) return [`sound:digits/h-${day}`];
  return [`sound:digits/${day - (day % 10)}`, `sound:digits/h-${day % 10}`];
}

function sayAmount(v: string, language: IvrLanguage): string[] | undefined {
  const m = /^(-)?(\d{1,10})(?:\.(\d{1,2}))?$/.exec(v);
  if (!m) return undefined;
  const whole = Number(m[2]);
  if (whole > INT_MAX) return undefined;
  // '12.5' means fifty cents, not five.
  const cents = m[3] === undefined ? 0 : Number(m[3].padEnd(2, '0'));
  const sign = m[1] ? [SOUNDS.minus] : [];
  if (language === 'zh') {
    return [...sign, `digits:${whole}`, ...(cents ? [SOUNDS.dot, `digits:${String(cents).padStart(2, '0')}`] : [])];
  }
  const media = [...sign, `number:${whole}`, whole === 1 ? SOUNDS.dollar : SOUNDS.dollars];
  if (cents) media.push(SOUNDS.and, `number:${cents}`, ...(SOUNDS.cents ? [SOUNDS.cents] : []));
  return media;
}
