import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { reportTables } from '../../reports/index.js';
import { requireRole } from '../plugins/auth.js';
import { errorResponses } from '../api-errors.js';

const Params = Type.Object({
  kind: Type.String({ maxLength: 20, description: 'daily, weekly, monthly or range' }),
  value: Type.String({ maxLength: 40, description: 'daily and weekly: a day YYYY-MM-DD; monthly: YYYY-MM; range: YYYY-MM-DD..YYYY-MM-DD (at most 92 days)' }),
});
const Figure = Type.Union([Type.Number(), Type.Null()]);
const ReportJson = Type.Object({
  kind: Type.String(), key: Type.String(), from: Type.String(), to: Type.String(),
  state: Type.String({ description: 'future (no data yet), current (not over) or past' }),
  timeZone: Type.String(), generatedAt: Type.String({ format: 'date-time' }),
  thresholds: Type.Record(Type.String(), Type.Object({ serviceLevelSec: Type.Number(), serviceLevelTargetPct: Type.Number(), shortAbandonSec: Type.Number(), abandonTargetPct: Type.Number() })),
  tables: Type.Array(Type.Object({
    id: Type.String(), keyColumn: Type.String(),
    columns: Type.Array(Type.String(), { description: 'percent columns in %, times in seconds' }),
    rows: Type.Array(Type.Object({ label: Type.String(), values: Type.Array(Figure) })),
  })),
});

/** GET /api/v1/reports/:kind/:value: the figures of a printable report, as on its page and CSV. */
export default async function apiReportsRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof Params>; Reply: Static<typeof ReportJson> }>('/api/v1/reports/:kind/:value', {
    onRequest: requireRole('admin', 'supervisor', 'reports'),
    schema: { tags: ['reports'], summary: 'A daily, weekly, monthly or range report', params: Params, response: { 200: ReportJson, ...errorResponses(400, 401, 403) } },
  }, async (request) => {
    const r = await app.reports.build(request.params.kind, request.params.value);
    const tables = r.state === 'future' ? [] : reportTables(r, 'total');
    return {
      kind: r.period.kind, key: r.period.key, from: r.period.from, to: r.period.to, state: r.state, timeZone: r.timeZone,
      generatedAt: new Date(r.generatedAt).toISOString(), thresholds: r.thresholds,
      tables: tables.map((tb) => ({ id: tb.id, keyColumn: tb.keyColumn, columns: tb.columns.map((c) => c.id), rows: tb.rows })),
    };
  });
}
