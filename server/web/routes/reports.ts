import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { csvLines } from '../../core/csv.js';
import { unavailable } from '../../core/errors.js';
import { noDataYet, reportTables, unknownTable, TABLE_IDS, PERIOD_KINDS, MAX_RANGE_DAYS, parseDay, type Report, type TableId } from '../../reports/index.js';
import { requireRole } from '../plugins/auth.js';
import { t } from '../i18n/index.js';
import { PRINTABLE_CSP, renderPrintable } from '../reports/printable.js';
import { reportPath } from '../reports/report-model.js';

const Params = Type.Object({ kind: Type.String({ maxLength: 20 }), value: Type.String({ maxLength: 40 }) });
type Params = Static<typeof Params>;
const FileParams = Type.Object({ ...Params.properties, file: Type.String({ maxLength: 40 }) });
const OpenQuery = Type.Object({ kind: Type.String({ maxLength: 20 }), date: Type.String({ maxLength: 40 }), to: Type.Optional(Type.String({ maxLength: 40 })) });

/** The CSV file of one table: the figures of the page, unformatted, a missing one empty. */
function csvOf(r: Report, table: TableId, locale: string) {
  const tb = reportTables(r, t(locale, 'report.total')).find((x) => x.id === table)!;
  const header = [t(locale, `report.col.${tb.keyColumn}`), ...tb.columns.map((c) => `${t(locale, `report.col.${c.id}`)}${c.format === 'percent' ? ' (%)' : c.format === 'seconds' ? ' (s)' : ''}`)];
  return csvLines(header, tb.rows.map((row) => [row.label, ...row.values]));
}

/** /reports: the printable daily, weekly and monthly reports, their CSV tables and PDF. */
export default async function reportsRoutes(app: FastifyInstance): Promise<void> {
  const readers = requireRole('admin', 'supervisor', 'reports');
  const site = app.config.reports.siteName || app.config.instanceName;
  const publicBase = app.config.http.publicUrl.replace(/\/+$/, '');

  app.get('/reports', { onRequest: readers }, async (request, reply) => {
    const schedules = await app.reportSchedules.list();
    return reply.page('reports/index', {
      titleKey: 'report.index.title', kinds: PERIOD_KINDS.map((k) => ({ value: k, label: t(request.locale, `report.kind.${k}`) })),
      schedules: schedules.map((s) => ({ ...s, periodLabel: t(request.locale, `report.kind.${s.period}`), recipientsText: s.recipients.join(', ') })),
      canEditSchedules: request.user?.role === 'admin', maxRangeDays: MAX_RANGE_DAYS,
    });
  });

  // The index's form: any day picks the daily report, its week or its month.
  app.get<{ Querystring: Static<typeof OpenQuery> }>('/reports/open', { onRequest: readers, schema: { querystring: OpenQuery } }, async (request, reply) => {
    const { kind, date, to } = request.query;
    // A whole day given for a month is checked as a day first, so 2026-11-45 is refused.
    const monthOf = (day: string) => (/^\d{4}-\d{2}-\d{2}$/.test(day) ? parseDay(day).toISOString().slice(0, 7) : day);
    const value = kind === 'monthly' ? monthOf(date) : kind === 'range' ? `${date}..${to ?? ''}` : date;
    const report = await app.reports.build(kind, value);
    return reply.redirect(reportPath(report), 303);
  });

  const sendPdf = async (request: FastifyRequest, reply: FastifyReply, r: Report) => {
    if (r.state === 'future') throw noDataYet(r.period.key);
    const { html } = renderPrintable(r, request.locale, site, { base: publicBase });
    const out = await app.reportPdf.render(html);
    if ('reason' in out) {
      request.log.warn({ reason: out.reason }, 'report PDF not available');
      throw unavailable('report-pdf-unavailable', out.reason);
    }
    return reply.type('application/pdf').header('content-disposition', `inline; filename="report-${r.period.kind}-${r.period.key}.pdf"`).send(out.pdf);
  };

  app.get<{ Params: Params }>('/reports/:kind/:value', { onRequest: readers, schema: { params: Params } }, async (request, reply) => {
    const { kind, value } = request.params;
    const pdf = value.endsWith('.pdf');
    const report = await app.reports.build(kind, pdf ? value.slice(0, -4) : value);
    if (pdf) return sendPdf(request, reply, report);
    const { html } = renderPrintable(report, request.locale, site, { base: '' });
    return reply.type('text/html; charset=utf-8').header('content-security-policy', PRINTABLE_CSP).send(html);
  });

  app.get<{ Params: Static<typeof FileParams> }>('/reports/:kind/:value/:file', { onRequest: readers, schema: { params: FileParams } }, async (request, reply) => {
    const { kind, value, file } = request.params;
    const table = file.replace(/\.csv$/, '');
    if (!file.endsWith('.csv') || !(TABLE_IDS as readonly string[]).includes(table)) throw unknownTable(file);
    const report = await app.reports.build(kind, value);
    if (report.state === 'future') throw noDataYet(report.period.key);
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="report-${kind}-${report.period.key}-${table}.csv"`)
      .send(Readable.from(csvOf(report, table as TableId, request.locale)));
  });
}
