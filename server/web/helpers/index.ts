import type { HelperDelegate } from 'handlebars';
import { phoneHelper } from './phone.js';
import { tHelper } from './t.js';

/** Every Handlebars helper the templates may use, by the name they use. */
export const helpers: Record<string, HelperDelegate> = {
  t: tHelper,
  phone: phoneHelper,
};
