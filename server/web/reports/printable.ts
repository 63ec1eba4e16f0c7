import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Report } from '../../reports/index.js';
import { helpers } from '../helpers/index.js';
import { toLocale, DEFAULT_LOCALE } from '../i18n/index.js';
import { VIEWS_DIR } from '../paths.js';
import { reportModel, reportTitle, type ReportLinks } from './report-model.js';

// The printable report is a whole document of its own, not a page in the site's layout:
// its stylesheet sits inside it, so the same HTML prints, mails and becomes a PDF as it is.

const CSS = readFileSync(join(VIEWS_DIR, 'reports', 'print.css'), 'utf8');

/**
 * The one inline stylesheet, allowed by its hash: the page's own policy forbids every
 * other style, script, font and fetch, which is what a self-contained page needs.
 */
export const PRINTABLE_CSP = [
  "default-src 'none'", `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  'img-src data:', "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ');

const hbs = Handlebars.create();
for (const [name, helper] of Object.entries(helpers)) hbs.registerHelper(name, helper);
const template = hbs.compile(readFileSync(join(VIEWS_DIR, 'reports', 'printable.hbs'), 'utf8'), { strict: false });

export function renderPrintable(r: Report, language: string, site: string, links: ReportLinks): { subject: string; html: string } {
  const locale = toLocale(language) ?? DEFAULT_LOCALE;
  const html = template({ ...reportModel(r, locale, site, links), css: CSS });
  return { subject: `${reportTitle(r, locale)} · ${site}`, html };
}
