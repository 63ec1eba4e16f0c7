import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { KpiRepository } from './kpi/index.js';
import type { KpiSource } from './kpi-source.js';
import { provisionalKpiSource } from './provisional-kpi-source.js';
import { ProvisionalKpiRepository } from './provisional-kpi-repository.js';
import { ReportService } from './report-service.js';
import { ScheduleRepository } from './schedule-repository.js';
import { ScheduleService } from './schedule-service.js';
import { ScheduleRunner, type ReportRenderer } from './schedule-runner.js';
import { PdfRenderer } from './pdf.js';
import { ReportMailer } from './report-mailer.js';

export { ReportService, type Report } from './report-service.js';
export { ScheduleService } from './schedule-service.js';
export { ScheduleRunner, type ReportRenderer } from './schedule-runner.js';
export { PdfRenderer } from './pdf.js';
export { ReportMailer } from './report-mailer.js';
export { DEFAULT_THRESHOLDS } from './kpi/index.js';
export { Schedule, ScheduleBody, REPORT_LANGUAGES } from './schemas.js';
export { PERIOD_KINDS, REPORT_KINDS, MAX_RANGE_DAYS, parseDay, type Period, type PeriodKind } from './period.js';
export { reportTables, formatCell, TABLE_IDS, type ReportTable, type TableId } from './report-tables.js';
export { barChartSvg } from './charts.js';
export { localStamp } from './local-time.js';
export { noDataYet, unknownTable } from './errors.js';
export type { KpiSource } from './kpi-source.js';

declare module 'fastify' {
  interface FastifyInstance {
    reports: ReportService;
    reportSchedules: ScheduleService;
    reportRunner: ScheduleRunner;
    reportPdf: PdfRenderer;
    /** Decorated by the web layer, which owns the templates and the translations. */
    reportRenderer: ReportRenderer;
  }
}

async function reports(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'reports' });
  const timeZone = app.config.timezone;
  // PROVISIONAL: the KPI engine (app.kpis.query) replaces this source at merge.
  const kpis: KpiSource = provisionalKpiSource({
    events: new KpiRepository(app.db), agents: new ProvisionalKpiRepository(app.db), timeZone,
    thresholds: async () => new Map((await app.queues.list()).map((q) => [q.name, q])),
    agentNames: async () => new Map((await app.agents.listWithDevices()).map((a) => [a.id, `${a.number} ${a.name}`])),
  });
  const service = new ReportService({ kpis, timeZone });
  const schedules = new ScheduleService({ repo: new ScheduleRepository(app.db), timeZone, log });
  const pdf = new PdfRenderer({ chromiumPath: app.config.reports.chromiumPath, timeoutMs: app.config.reports.pdfTimeoutMs }, log);
  const mailer = new ReportMailer({ from: app.config.reports.emailFrom, smtp: app.config.smtp });
  app.decorate('reports', service);
  app.decorate('reportSchedules', schedules);
  app.decorate('reportPdf', pdf);
  // The renderer is looked up when a report is sent: the web layer decorates it after this room.
  app.decorate('reportRunner', new ScheduleRunner({ schedules, reports: service, render: (r, l) => app.reportRenderer(r, l), pdf, mailer, log }));
  app.addHook('onClose', async () => mailer.close());
}

export default fp(reports, { name: 'reports', dependencies: ['core', 'acd-queues', 'agents'] });
