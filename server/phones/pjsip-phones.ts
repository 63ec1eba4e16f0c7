import type { Phone } from './phone-repository.js';
import { compileTemplate } from './asterisk-templates.js';

const template = compileTemplate('managed/pjsip-phones.conf.hbs', false);

/**
 * A display name as Asterisk's config reader may take it inside callerid = "...": a `;`
 * would start a comment, a quote or backslash would end or escape the quoted name, and a
 * line break would start a new setting. They become spaces; the pages keep the real name.
 */
export function configSafeName(name: string): string {
  return name.replace(/[";\\[\]<>\p{Cc}]/gu, ' ').replace(/\s+/g, ' ').trim() || 'phone';
}

/** The PJSIP section of the managed phones (endpoint, auth, aor each), in extension order. */
export function renderPjsipPhones(phones: readonly Phone[]): string {
  return template({
    phones: [...phones]
      .sort((a, b) => a.extension.localeCompare(b.extension))
      .map((p) => ({ extension: p.extension, sipPassword: p.sipPassword, callerName: configSafeName(p.displayName) })),
  });
}
