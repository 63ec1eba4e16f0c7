import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { requireRole } from '../plugins/auth.js';
import { AccessLogPage, AccessLogQuery, InteractionDetail, SearchPage, SearchQuery } from '../../records/index.js';
import { maskNumber } from '../../core/number-mask.js';
import { errorResponses } from '../api-errors.js';

const tags = ['records'];
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 36, pattern: '^[0-9A-Za-z-]+$' }) });
const CsvQuery = Type.Omit(SearchQuery, ['before', 'limit']);

/**
 * The interaction records over REST: search, CSV export, one interaction with its timeline,
 * and the recordings' access log. The same RecordsService serves the /interactions pages.
 */
export default async function apiInteractionsRoutes(app: FastifyInstance): Promise<void> {
  const readers = requireRole('admin', 'supervisor', 'quality');

  app.get<{ Querystring: SearchQuery }>('/api/v1/interactions', {
    onRequest: readers,
    schema: { tags, summary: 'Search interactions by time, number, agent, queue, disposition, outcome, direction and talk time; newest first, a page at a time', querystring: SearchQuery, response: { 200: SearchPage, ...errorResponses(400, 401, 403) } },
  }, async (request) => app.records.search(request.query));

  app.get<{ Querystring: Static<typeof CsvQuery> }>('/api/v1/interactions.csv', {
    onRequest: readers,
    schema: { tags, summary: 'Every interaction the search finds, as CSV (UTF-8 with BOM), streamed', querystring: CsvQuery, produces: ['text/csv'], response: { ...errorResponses(400, 401, 403) } },
  }, async (request, reply) => {
    // The filter is checked here, before the first byte: a bad one is a 400, not a broken file.
    const lines = app.records.csv(request.query, { showNumber: request.seesNumbers() ? undefined : maskNumber });
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="interactions-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines));
  });

  app.get<{ Params: Static<typeof Params> }>('/api/v1/interactions/:id', {
    onRequest: readers,
    schema: { tags, summary: 'One interaction: parties, times, its timeline of call events and notes, callbacks and recordings', params: Params, response: { 200: InteractionDetail, ...errorResponses(400, 401, 403, 404) } },
  }, async (request) => app.records.detail(request.params.id));

  app.get<{ Querystring: AccessLogQuery }>('/api/v1/recordings/access-log', {
    onRequest: requireRole('admin'),
    schema: { tags, summary: 'Who played or downloaded which recording, when and from where; newest first (admins only)', querystring: AccessLogQuery, response: { 200: AccessLogPage, ...errorResponses(400, 401, 403) } },
  }, async (request) => app.playback.accessLog(request.query));
}
