import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../plugins/auth.js';
import { errorResponses } from '../api-errors.js';
import { csvLines } from '../../core/csv.js';
import { KpiQuerystring, KpiTableSchema } from '../../reports/schemas.js';
import { kpiCsvHeader, kpiCsvRows } from '../../reports/kpi-csv.js';
import type { KpiQuery } from '../../reports/index.js';

const errors = errorResponses(400, 401, 403);
const ROLES = ['admin', 'supervisor', 'reports'] as const;

const toQuery = (q: KpiQuerystring): KpiQuery => ({
  from: q.from, to: q.to, grain: q.grain, by: q.by,
  ...(q.queue ? { queues: q.queue.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
});

/** GET /api/v1/reports/kpis and its CSV: the KPI engine's table (KPIS.md) for a range of days. */
export default async function apiReportsKpisRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: KpiQuerystring }>('/api/v1/reports/kpis', {
    onRequest: requireRole(...ROLES),
    schema: {
      tags: ['reports'],
      summary: 'KPIs per interval (15m, hour, day, week, month), split by queue, agent or DID',
      querystring: KpiQuerystring,
      response: { 200: KpiTableSchema, ...errors },
    },
  }, async (request) => app.kpis.query(toQuery(request.query)));

  app.get<{ Querystring: KpiQuerystring }>('/api/v1/reports/kpis.csv', {
    onRequest: requireRole(...ROLES),
    schema: {
      tags: ['reports'],
      summary: 'The same KPI table as CSV (one line per row, then the total)',
      querystring: KpiQuerystring,
      response: { 200: { type: 'string', description: 'text/csv' }, ...errors },
    },
  }, async (request, reply) => {
    const q = toQuery(request.query);
    const table = await app.kpis.query(q);
    const name = `kpis-${q.from}-${q.to}-${q.grain}-${q.by}.csv`;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(Readable.from(csvLines(kpiCsvHeader(table), kpiCsvRows(table))));
  });
}
