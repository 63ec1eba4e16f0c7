import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/**
 * The project's `asterisk/` folder (templates of what Asterisk and the phones read). This
 * file runs from server/phones under tsx and from dist/server/phones once built, so the
 * folder is found by walking up, as web/paths.ts finds views/.
 */
function findAsteriskDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'asterisk');
    if (existsSync(join(candidate, 'managed', 'pjsip-phones.conf.hbs'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the asterisk/ folder above server/phones');
    dir = parent;
  }
}

export const ASTERISK_DIR = findAsteriskDir();

/**
 * A template of asterisk/<relative>, compiled once. `escape` chooses what a {{value}} does:
 * XML files escape (a display name with < & " stays text), key=value files do not.
 */
export function compileTemplate(relative: string, escape: boolean): Handlebars.TemplateDelegate {
  const hbs = Handlebars.create();
  return hbs.compile(readFileSync(join(ASTERISK_DIR, relative), 'utf8'), { noEscape: !escape, strict: true });
}
