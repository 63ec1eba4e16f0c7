import type { HelperOptions } from 'handlebars';
import { t } from '../i18n/index.js';

/**
 * Usage: `{{t "login.title"}}` or `{{t "nav.signedInAs" name=user.displayName}}`.
 * The locale is the page's (`@root.locale`, set for every request), so it works
 * inside `{{#each}}` too. The result is escaped like any `{{ }}` output.
 */
export function tHelper(key: unknown, options: HelperOptions): string {
  const root = (options.data as { root?: { locale?: string } } | undefined)?.root;
  return t(root?.locale ?? 'en', String(key), options.hash as Record<string, string>);
}
