import type { HelperOptions } from 'handlebars';
import { maskNumber } from '../../core/number-mask.js';

/**
 * Usage: `{{phone callerNumber}}`. A caller's or customer's number as the viewer may see it:
 * whole for the roles in config privacy.unmaskedRoles, masked for the others
 * (server/core/number-mask.ts). The page's `@root.seesNumbers` is set for every request
 * (plugins/views.ts), so it works inside `{{#each}}` too. Escaped like any `{{ }}` output.
 */
export function phoneHelper(value: unknown, options: HelperOptions): string {
  const root = (options.data as { root?: { seesNumbers?: boolean } } | undefined)?.root;
  const text = value === null || value === undefined ? '' : String(value);
  return root?.seesNumbers === true ? text : maskNumber(text);
}
