import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { Trunk } from './trunk-repository.js';
import { isIP } from 'node:net';
import { hostPort } from './trunk-rules.js';

const TEMPLATE = join('managed', 'pjsip-trunks.conf.hbs');

/**
 * The project's asterisk/ folder, found by walking up: this file runs from server/trunks
 * under tsx and from dist/server/trunks once built (as the phones room finds it).
 */
function templatePath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'asterisk', TEMPLATE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find asterisk/${TEMPLATE} above server/trunks`);
    dir = parent;
  }
}

// A key = value file: nothing is HTML-escaped. Every value was checked (trunk-rules.ts) to
// hold no line break, ; or [ that could start a comment or a section.
const template = Handlebars.create().compile(readFileSync(templatePath(), 'utf8'), { noEscape: true, strict: true });

/** The PJSIP sections of the enabled managed trunks, in name order. */
export function renderPjsipTrunks(trunks: readonly Trunk[]): string {
  return template({
    trunks: trunks
      .filter((t) => t.enabled)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((t) => ({
        name: t.name, kind: t.kind, register: t.kind === 'register', codecs: t.codecs.join(','), hostPort: hostPort(t.host, t.port),
        match: t.match, username: t.username, password: t.password, fromDomain: t.fromDomain || (isIP(t.host) === 6 ? `[${t.host}]` : t.host),
      })),
  });
}
