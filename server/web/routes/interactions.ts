import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { requireRole } from '../plugins/auth.js';
import type { SearchPage } from '../../records/index.js';
import { t } from '../i18n/index.js';
import { accessRows, detailModel, filterParams, queryOf, searchOptions, searchRows, FORM_FIELDS, type SearchForm } from '../view-models/interactions.js';

// The interaction records pages. They call the same RecordsService as /api/v1/interactions,
// so the page refuses exactly what the API refuses, shown above the results.

const Form = Type.Object({
  ...Object.fromEntries(FORM_FIELDS.map((k) => [k, Type.Optional(Type.String({ maxLength: 64 }))])),
  before: Type.Optional(Type.String({ maxLength: 200 })),
});
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 36, pattern: '^[0-9A-Za-z-]+$' }) });
const PAGE = 50;

export default async function interactionsRoutes(app: FastifyInstance): Promise<void> {
  const onRequest = requireRole('admin', 'supervisor', 'quality');

  app.get<{ Querystring: Static<typeof Form> }>('/interactions', { onRequest, schema: { querystring: Form } }, async (request, reply) => {
    const form = request.query as SearchForm & { before?: string };
    const { query, problem: badField } = queryOf(form);
    let page: SearchPage = { items: [], nextBefore: null };
    let problem = badField ? t(request.locale, 'records.search.notWhole', { field: t(request.locale, `records.field.${badField}`) }) : undefined;
    if (!problem) {
      try {
        page = await app.records.search({ ...query, before: form.before || undefined, limit: PAGE });
      } catch (err) {
        if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
        problem = err.message;
      }
    }
    const params = filterParams(form);
    const next = new URLSearchParams(params);
    if (page.nextBefore) next.set('before', page.nextBefore);
    return reply.page('records/search', {
      titleKey: 'records.search.title',
      timeZone: app.config.timezone,
      form,
      options: searchOptions(await app.records.options(), form, request.locale),
      rows: searchRows(page.items, request.locale, app.config.timezone),
      problem,
      csvHref: `/api/v1/interactions.csv?${params}`,
      nextHref: page.nextBefore ? `/interactions?${next}` : undefined,
    }, problem ? 400 : 200);
  });

  app.get<{ Params: Static<typeof Params> }>('/interactions/:id', { onRequest, schema: { params: Params } }, async (request, reply) => {
    const detail = await app.records.detail(request.params.id);
    // Who heard this call's recordings is for admins only, like the API's access log.
    const access = request.user?.role === 'admin' ? await app.playback.accessLog({ interactionId: detail.interaction.id, limit: 50 }) : undefined;
    return reply.page('records/interaction', { titleKey: 'records.detail.title', d: detailModel(detail, request.locale, app.config.timezone), access: access && accessRows(access.items, request.locale, app.config.timezone) });
  });
}
