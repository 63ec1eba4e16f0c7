import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { LOCALES, type Locale } from '../i18n/index.js';
import { LANG_COOKIE } from '../plugins/i18n.js';
import { safeLocalPath } from '../request-kind.js';
import { secureCookies } from '../plugins/security.js';

const ONE_YEAR_S = 365 * 24 * 3600;

const LangParams = Type.Object({ locale: Type.Unsafe<Locale>(Type.Union(LOCALES.map((l) => Type.Literal(l)))) });
const LangQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 512 })) });

/**
 * GET /lang/:locale?next=/path: the language switch in the layout. A GET that
 * sets a cookie is fine here: a forged click only changes the display language.
 */
export default async function langRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof LangParams>; Querystring: Static<typeof LangQuery> }>(
    '/lang/:locale',
    { schema: { params: LangParams, querystring: LangQuery } },
    async (request, reply) =>
      reply
        .setCookie(LANG_COOKIE, request.params.locale, {
          path: '/',
          maxAge: ONE_YEAR_S,
          sameSite: 'lax',
          httpOnly: true,
          secure: secureCookies(app.config),
        })
        .redirect(safeLocalPath(request.query.next)),
  );
}
