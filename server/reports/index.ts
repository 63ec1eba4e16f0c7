import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { RawRepository } from './raw-repository.js';
import { SummaryRepository } from './summary-repository.js';
import { SummaryBuilder } from './summary-builder.js';
import { DayRollups } from './day-rollups.js';
import { KpiService } from './kpi-service.js';
import { thresholdsOf, type KpiThresholds } from './kpi/thresholds.js';
import type { KpiSource } from './kpi-source.js';
import { ReportService } from './report-service.js';
import { ScheduleRepository } from './schedule-repository.js';
import { ScheduleService } from './schedule-service.js';
import { ScheduleRunner, type ReportRenderer } from './schedule-runner.js';
import { PdfRenderer } from './pdf.js';
import { ReportMailer } from './report-mailer.js';

export { KpiService, validateQuery, MAX_DAYS, MAX_DAYS_15M } from './kpi-service.js';
export { SummaryBuilder } from './summary-builder.js';
export type { KpiQuery, KpiTable, KpiRow, Grain, Dimension } from './kpi/query.js';
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
    /** The KPI engine: app.kpis.query(q) for every report, export and API figure. */
    kpis: KpiService;
    reports: ReportService;
    reportSchedules: ScheduleService;
    reportRunner: ScheduleRunner;
    reportPdf: PdfRenderer;
    /** Decorated by the web layer, which owns the templates and the translations. */
    reportRenderer: ReportRenderer;
  }
}

function kpiEngine(app: FastifyInstance): KpiService {
  const raw = new RawRepository(app.db);
  const summary = new SummaryRepository(app.db);
  // The builder folds with the thresholds the last query or refresh read; a query reads them
  // afresh and re-folds buckets counted with others (kpi-service.ts).
  let current = new Map<string, KpiThresholds>();
  const thresholds = (queue: string) => current.get(queue) ?? thresholdsOf(undefined);
  const log = app.log.child({ room: 'reports' });
  const timeZone = app.config.timezone;
  const builder = new SummaryBuilder({ raw, summary, thresholds, fcrWindowMs: app.config.reports.fcrWindowH * 3_600_000, timeZone, log });
  const queues = {
    list: async () => {
      const list = await app.queues.list();
      current = new Map(list.map((q) => [q.name, thresholdsOf(q)]));
      return list;
    },
  };
  const days = new DayRollups({ repo: summary.days, timeZone, log });
  return new KpiService({ raw, summary, builder, queues, timeZone, log, days });
}

/** The KPI engine and the printable reports, schedules and their mail, which read only the engine. */
async function reports(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'reports' });
  const engine = kpiEngine(app);
  app.decorate('kpis', engine);
  // The day rollups may need a rebuild (a changed zone, an upgrade): started at boot, not
  // awaited, as it can take a minute on a large site; reports read the 15-minute tables meanwhile.
  app.addHook('onReady', async () => void engine.prepareDays());
  const kpis: KpiSource = (q) => engine.query(q);
  const service = new ReportService({ kpis, timeZone: app.config.timezone });
  const schedules = new ScheduleService({ repo: new ScheduleRepository(app.db), timeZone: app.config.timezone, log });
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
