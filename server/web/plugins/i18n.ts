import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pickLocale, type Locale } from '../i18n/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The language of this request's pages: `lang` cookie, then the user's setting, then Accept-Language. */
    readonly locale: Locale;
  }
}

export const LANG_COOKIE = 'lang';

async function i18n(app: FastifyInstance): Promise<void> {
  // A getter rather than a hook: an error page rendered before the hooks ran
  // (a body too large, Redis down) still gets the right language.
  app.decorateRequest('locale', {
    getter(this: FastifyRequest): Locale {
      return pickLocale({
        cookie: this.cookies?.[LANG_COOKIE],
        userLocale: this.user?.locale,
        acceptLanguage: this.headers['accept-language'],
      });
    },
  });
}

export default fp(i18n, { name: 'web-i18n', dependencies: ['web-security', 'web-auth'] });
