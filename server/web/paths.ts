import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The templates live in the project's top-level `views/`. This file runs from
 * `server/web/` under tsx and from `dist/server/web/` once built, so the folder
 * is found by walking up rather than by a fixed number of `..`.
 */
function findViewsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'views');
    if (existsSync(join(candidate, 'layouts', 'main.hbs'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the views/ folder above server/web');
    dir = parent;
  }
}

export const VIEWS_DIR = findViewsDir();
export const STATIC_DIR = join(VIEWS_DIR, 'static');
export const PARTIALS_DIR = join(VIEWS_DIR, 'partials');
