import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { renderPrintable } from '../reports/printable.js';

/**
 * Lends the reports room the printable page for its scheduled emails: the templates and
 * translations belong to the web layer, which the domain rooms do not import. Links in
 * an email point at the public URL.
 */
async function reportRenderer(app: FastifyInstance): Promise<void> {
  const site = app.config.reports.siteName || app.config.instanceName;
  const base = app.config.http.publicUrl.replace(/\/+$/, '');
  app.decorate('reportRenderer', (report, language) => renderPrintable(report, language, site, { base }));
}

export default fp(reportRenderer, { name: 'web-report-renderer', dependencies: ['reports'] });
