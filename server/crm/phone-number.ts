// Phone numbers as the CRM stores and matches them. Pure functions: the rule comes from
// config.crm, so a unit test states the whole behaviour.
//
// The rule, in order:
// 1. Spaces, dashes, dots, slashes and brackets are dropped. Anything else that is not a
//    digit (letters: "anonymous", "unknown", "Restricted"; a '+' not in front) means it is
//    not a number we can match: no number, which never matches a customer.
// 2. A leading '+' is kept: the number is already international.
// 3. A leading international prefix (00 by default) becomes '+'.
// 4. With a country code configured (crm.countryCode), a national number becomes
//    international: one starting with the national trunk prefix (0 by default) loses it and
//    gets +<country code>; one without the prefix gets +<country code> when it has at least
//    crm.nationalMinDigits digits (mobile numbers dialled without a trunk prefix, NANP's ten
//    digits). Shorter ones are local numbers or extensions and stay digits.
// 5. 3 to 20 digits, or no number.
// 6. Looking a caller up also tries '+' and the digits for a long bare digit string
//    (caller-id matchForms): many trunks deliver international numbers without the '+',
//    which step 4 would otherwise read as national.
// So "+86 138-1234-5678", "0086 13812345678" and, with country code 86, "13812345678"
// are all "+8613812345678", and "010 1234 5678" is "+861012345678".

export interface NumberRule {
  countryCode: string;
  nationalPrefix: string;
  internationalPrefix: string;
  nationalMinDigits: number;
}

/** No country code: national numbers are kept as their digits; only 00 becomes '+'. */
export const DEFAULT_RULE: NumberRule = { countryCode: '', nationalPrefix: '0', internationalPrefix: '00', nationalMinDigits: 8 };

const MIN_DIGITS = 3;
const MAX_DIGITS = 20;

/** The stored, matchable form of a number, or undefined when there is none (anonymous, empty, garbage). */
export function normaliseNumber(raw: string | null | undefined, rule: NumberRule = DEFAULT_RULE): string | undefined {
  if (!raw) return undefined;
  const compact = raw.replace(/[\s().\-/]/g, '');
  if (!/^\+?[0-9]+$/.test(compact)) return undefined;
  const international = toInternational(compact, rule);
  const digits = international.replace('+', '');
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return undefined;
  return international;
}

function toInternational(n: string, rule: NumberRule): string {
  if (n.startsWith('+')) return n;
  if (n.startsWith(rule.internationalPrefix)) return `+${n.slice(rule.internationalPrefix.length)}`;
  if (!rule.countryCode) return n;
  if (rule.nationalPrefix && n.startsWith(rule.nationalPrefix)) return `+${rule.countryCode}${n.slice(rule.nationalPrefix.length)}`;
  if (n.length >= rule.nationalMinDigits) return `+${rule.countryCode}${n}`;
  return n;
}

/**
 * The stored forms a caller id may match, best first: its normalised form, and for a long
 * bare digit string also '+' and the digits (an international number without its '+').
 * Empty when the caller id is no number at all.
 */
export function matchForms(raw: string | null | undefined, rule: NumberRule = DEFAULT_RULE): string[] {
  const normalised = normaliseNumber(raw, rule);
  if (!normalised) return [];
  const compact = (raw as string).replace(/[\s().\-/]/g, '');
  const bare = /^[0-9]+$/.test(compact) && !compact.startsWith(rule.internationalPrefix) && compact.length >= rule.nationalMinDigits;
  const asInternational = `+${compact}`;
  return bare && asInternational !== normalised && compact.length <= MAX_DIGITS ? [normalised, asInternational] : [normalised];
}

/**
 * The forms a trunk may have delivered a stored number in. Interactions keep the caller id
 * exactly as it came, so finding earlier calls from a number means asking for each of
 * these (an indexed IN list), not normalising every stored row.
 */
export function deliveredForms(normalised: string, rule: NumberRule = DEFAULT_RULE): string[] {
  const forms = new Set([normalised]);
  if (normalised.startsWith('+')) {
    const digits = normalised.slice(1);
    forms.add(digits);
    forms.add(rule.internationalPrefix + digits);
    if (rule.countryCode && digits.startsWith(rule.countryCode)) {
      const national = digits.slice(rule.countryCode.length);
      if (rule.nationalPrefix) forms.add(rule.nationalPrefix + national);
      if (national.length >= rule.nationalMinDigits) forms.add(national);
    }
  }
  return [...forms];
}
