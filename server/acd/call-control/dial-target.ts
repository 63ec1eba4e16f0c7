// Turning what a person typed (or a phone's Refer-To) into something safe to dial.
// Dial strings never take raw input: only digits survive, and their count is checked.

import { badNumber } from './errors.js';

/** Up to this many digits is an internal extension (a desk phone), dialled as PJSIP/<ext>. */
export const MAX_INTERNAL_DIGITS = 6;
/** E.164 allows 15 digits; fewer than 7 cannot be an outside number. */
export const MIN_EXTERNAL_DIGITS = 7;
export const MAX_EXTERNAL_DIGITS = 15;

export interface Trunk {
  /** The trunk's PJSIP endpoint name. */
  endpoint: string;
  /** The carrier's address, host[:port]. */
  host: string;
}

export interface DialTarget {
  digits: string;
  internal: boolean;
  endpoint: string;
}

/**
 * Keeps the digits of a number written the way people write them ("+1 (555) 700-2000",
 * "555.7002"): spaces, dots, dashes, brackets and one leading + are allowed and dropped;
 * anything else (letters, @, ;, /) makes the number invalid rather than being filtered
 * into something the person did not type.
 */
export function digitsOf(input: string): string {
  const s = input.trim();
  if (!/^\+?[0-9 ().-]+$/.test(s)) throw badNumber(`"${s.slice(0, 32)}" is not a phone number: only digits, spaces and + ( ) . - are allowed`);
  return s.replace(/[^0-9]/g, '');
}

/** The dial string of a number sent out through the carrier trunk. */
export const trunkEndpoint = (trunk: Trunk, digits: string) => `PJSIP/${trunk.endpoint}/sip:${digits}@${trunk.host}`;

/** Where a number goes: a short one to a desk phone, a long one out through the trunk. */
export function dialTarget(input: string, trunk: Trunk): DialTarget {
  const digits = digitsOf(input);
  if (digits.length >= 2 && digits.length <= MAX_INTERNAL_DIGITS) return { digits, internal: true, endpoint: `PJSIP/${digits}` };
  if (digits.length >= MIN_EXTERNAL_DIGITS && digits.length <= MAX_EXTERNAL_DIGITS) {
    return { digits, internal: false, endpoint: trunkEndpoint(trunk, digits) };
  }
  throw badNumber(`${digits.length} digits: an extension has 2-${MAX_INTERNAL_DIGITS}, an outside number ${MIN_EXTERNAL_DIGITS}-${MAX_EXTERNAL_DIGITS}`);
}

/** DTMF a page may send to the far end. */
export function dtmfDigits(input: string): string {
  if (!/^[0-9*#A-Da-d]{1,32}$/.test(input)) throw badNumber('DTMF is 1-32 of 0-9 * # A-D');
  return input.toUpperCase();
}

/** The Refer-To of a phone's blind transfer is a SIP user part: only its digits are a destination. */
export function referDigits(destination: string | undefined): string | undefined {
  const user = (destination ?? '').replace(/^sips?:/i, '').split(/[@;>]/)[0] ?? '';
  return /^\+?[0-9]{2,15}$/.test(user) ? user.replace(/^\+/, '') : undefined;
}
