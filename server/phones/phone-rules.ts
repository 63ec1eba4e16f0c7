// The pure rules of a desk phone: what a MAC, an extension and a BLF list may be, and the
// random values a new phone gets. No I/O here, so the unit tests need nothing running.
import { randomBytes } from 'node:crypto';

export const VENDORS = ['yealink', 'grandstream', 'fanvil', 'snom', 'polycom'] as const;
export type Vendor = (typeof VENDORS)[number];

export const PHONE_LANGUAGES = ['en', 'zh-CN'] as const;
export type PhoneLanguage = (typeof PHONE_LANGUAGES)[number];

/** The feature codes desk phones key (dialplan/extensions-sessions.conf.hbs); *75 is the BLF hint prefix. */
export const FEATURE_CODES = ['*70', '*71', '*72', '*73', '*75'] as const;

export const MAX_BLF_KEYS = 32;

/**
 * 00:15:65:AB:cd:01, 00-15-65-ab-cd-01, 0015.65ab.cd01 and 001565abcd01 are one MAC:
 * twelve lower-case hex digits is the form vendors use in their file names.
 */
export function normaliseMac(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (!/^[0-9A-Fa-f]{2}([-:.]?[0-9A-Fa-f]{2}){5}$|^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(trimmed)) return undefined;
  const mac = trimmed.replace(/[-:.]/g, '').toLowerCase();
  // The broadcast address and a multicast first octet are never a phone's own MAC.
  if (mac === 'ffffffffffff' || mac === '000000000000' || (parseInt(mac.slice(0, 2), 16) & 1) === 1) return undefined;
  return mac;
}

/** Why an extension cannot be a desk phone's, or undefined when it can. */
export function extensionProblem(extension: string): string | undefined {
  if (FEATURE_CODES.some((code) => extension.startsWith(code))) {
    return `${extension} is a feature code (${FEATURE_CODES.join(', ')} are keyed on phones); an extension is digits only`;
  }
  if (!/^[0-9]{3,8}$/.test(extension)) return `extension "${extension}" must be 3 to 8 digits`;
  return undefined;
}

/** Why a BLF list cannot be used, or undefined. Agent numbers are digits (hints are *75<number>). */
export function blfProblem(keys: readonly string[]): string | undefined {
  if (keys.length > MAX_BLF_KEYS) return `at most ${MAX_BLF_KEYS} BLF keys`;
  const bad = keys.find((k) => !/^[0-9]{1,16}$/.test(k));
  if (bad !== undefined) return `BLF key "${bad}" is not an agent number (digits only)`;
  if (new Set(keys).size !== keys.length) return 'a BLF key is listed twice';
  return undefined;
}

/** URL-safe random text with `bytes` bytes of entropy. */
const randomText = (bytes: number) => randomBytes(bytes).toString('base64url');

/** 24 characters (144 bits): long, and still typeable into a phone's web page if need be. */
export const newSipPassword = () => randomText(18);

/** 43 characters (256 bits): the only credential of a provisioning URL. */
export const newProvisioningSecret = () => randomText(32);
