import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { RawRepository } from './raw-repository.js';
import { SummaryRepository } from './summary-repository.js';
import { SummaryBuilder } from './summary-builder.js';
import { KpiService } from './kpi-service.js';
import { thresholdsOf, type KpiThresholds } from './kpi/thresholds.js';

export { KpiService, validateQuery, MAX_DAYS, MAX_DAYS_15M } from './kpi-service.js';
export { SummaryBuilder } from './summary-builder.js';
export type { KpiQuery, KpiTable, KpiRow, Grain, Dimension } from './kpi/query.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The KPI engine: app.kpis.query(q) for every report, export and API figure. */
    kpis: KpiService;
  }
}

async function reports(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'reports' });
  const raw = new RawRepository(app.db);
  const summary = new SummaryRepository(app.db);
  // The builder folds with the thresholds the last query or refresh read; a query reads them
  // afresh and re-folds buckets counted with others (kpi-service.ts).
  let current = new Map<string, KpiThresholds>();
  const thresholds = (queue: string) => current.get(queue) ?? thresholdsOf(undefined);
  const builder = new SummaryBuilder({ raw, summary, thresholds, fcrWindowMs: app.config.reports.fcrWindowH * 3_600_000, log });
  const queues = {
    list: async () => {
      const list = await app.queues.list();
      current = new Map(list.map((q) => [q.name, thresholdsOf(q)]));
      return list;
    },
  };
  app.decorate('kpis', new KpiService({ raw, summary, builder, queues, timeZone: app.config.timezone, log }));
}

export default fp(reports, { name: 'reports', dependencies: ['core', 'acd-queues'] });
