import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language named in itself, so a reader can find their own in the switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '中文' };

type Catalog = Record<string, string>;
const catalogs: Record<Locale, Catalog> = { en, 'zh-CN': zhCN };

export type Vars = Record<string, string | number | boolean | null | undefined>;

/**
 * The one translation helper. A key missing from a catalog falls back to English,
 * then to the key itself, so a gap shows up on the page instead of breaking it.
 * `{name}` placeholders take vars.name; unknown placeholders are left as they are.
 */
export function t(locale: string, key: string, vars?: Vars): string {
  const catalog = catalogs[toLocale(locale) ?? DEFAULT_LOCALE];
  const text = catalog[key] ?? catalogs[DEFAULT_LOCALE][key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

export function catalogKeys(locale: Locale): string[] {
  return Object.keys(catalogs[locale]);
}

/** Maps `zh`, `zh-cn`, `zh-Hans-CN` to `zh-CN` and `en-GB` to `en`; null when we have nothing close. */
export function toLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const lower = tag.trim().toLowerCase();
  const exact = LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const base = lower.split('-')[0];
  return LOCALES.find((l) => l.toLowerCase().split('-')[0] === base) ?? null;
}

/** Language tags of an Accept-Language header, best first (RFC 9110 q-values). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((e) => e.tag && e.tag !== '*' && Number.isFinite(e.q) && e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((e) => e.tag);
}

export interface LocaleSources {
  cookie?: string;
  userLocale?: string;
  acceptLanguage?: string;
}

/** An explicit choice (the `lang` cookie) beats the account's setting, which beats the browser's. */
export function pickLocale(sources: LocaleSources): Locale {
  return (
    toLocale(sources.cookie) ??
    toLocale(sources.userLocale) ??
    parseAcceptLanguage(sources.acceptLanguage).map(toLocale).find((l) => l !== null) ??
    DEFAULT_LOCALE
  );
}
