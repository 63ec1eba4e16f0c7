// Which outside numbers we may dial (toll-fraud protection): international and premium
// numbers are refused unless an admin's rule allows them. Pure: the service feeds it the
// rules and the settings.

export type DialAction = 'allow' | 'deny';

export interface DialRule {
  id: number;
  /** Digits as dialled (e.g. 0044 for the UK from a country whose international prefix is 00). */
  prefix: string;
  action: DialAction;
  label: string;
}

export interface DialSettings {
  /** The digits that start an international number as dialled here (crm.internationalPrefix). */
  internationalPrefix: string;
  /** This country's calling code (crm.countryCode); a +<own code> number is not international. */
  countryCode: string;
  /** Prefixes of premium-rate numbers, refused unless a rule allows them. */
  premiumPrefixes: readonly string[];
}

export type DialDecision =
  | { allowed: true; rule?: DialRule }
  | { allowed: false; reason: 'international' | 'premium' | 'rule'; rule?: DialRule };

/**
 * The number the rules judge: a leading + becomes the international prefix (so one rule
 * covers "+44..." and "0044..."); this country's own +code becomes the national number
 * without it, the form premium ranges are written in.
 */
export function dialledForm(raw: string, digits: string, s: DialSettings): string {
  if (!raw.trim().startsWith('+')) return digits;
  if (s.countryCode && digits.startsWith(s.countryCode)) return digits.slice(s.countryCode.length);
  return `${s.internationalPrefix}${digits}`;
}

/** The longest matching rule decides; without one, international and premium numbers are refused. */
export function decide(dialled: string, rules: readonly DialRule[], s: DialSettings): DialDecision {
  const rule = rules.filter((r) => dialled.startsWith(r.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
  if (rule) return rule.action === 'allow' ? { allowed: true, rule } : { allowed: false, reason: 'rule', rule };
  if (s.internationalPrefix && dialled.startsWith(s.internationalPrefix)) return { allowed: false, reason: 'international' };
  if (s.premiumPrefixes.some((p) => p && dialled.startsWith(p))) return { allowed: false, reason: 'premium' };
  return { allowed: true };
}
