import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import security from './plugins/security.js';
import auth from './plugins/auth.js';
import i18n from './plugins/i18n.js';
import views from './plugins/views.js';
import errors from './plugins/errors.js';
import openapi from './plugins/openapi.js';
import sse from './plugins/sse.js';
import healthzRoutes from './routes/healthz.js';
import rootRoutes from './routes/root.js';
import langRoutes from './routes/lang.js';
import staticRoutes from './routes/static.js';
import authRoutes from './routes/auth.js';
import adminAgentsRoutes from './routes/admin-agents.js';
import apiAgentsRoutes from './routes/api-agents.js';
import adminRoutingRoutes from './routes/admin-routing.js';
import apiIvrRoutes from './routes/api-ivr.js';
import apiQueuesRoutes from './routes/api-queues.js';
import apiCallbacksRoutes from './routes/api-callbacks.js';
import deskRoutes from './routes/desk.js';
import apiDeskRoutes from './routes/api-desk.js';
import apiDispositionsRoutes from './routes/api-dispositions.js';
import adminDispositionsRoutes from './routes/admin-dispositions.js';
import apiCustomersRoutes from './routes/api-customers.js';
import customersRoutes from './routes/customers.js';
import apiAuditRoutes from './routes/api-audit.js';
import apiMonitorRoutes from './routes/api-monitor.js';
import apiAgentsForceRoutes from './routes/api-agents-force.js';
import adminMonitorRoutes from './routes/admin-monitor.js';
import wallboardRoutes from './routes/wallboard.js';
import apiWallboardRoutes from './routes/api-wallboard.js';
import adminAlertsRoutes from './routes/admin-alerts.js';
import apiPauseReasonsRoutes from './routes/api-pause-reasons.js';
import adminPauseReasonsRoutes from './routes/admin-pause-reasons.js';
import apiCallsRoutes from './routes/api-calls.js';
import apiSipBansRoutes from './routes/api-sip-bans.js';
import adminSipBansRoutes from './routes/admin-sip-bans.js';
import apiDialRulesRoutes from './routes/api-dial-rules.js';
import adminDialRulesRoutes from './routes/admin-dial-rules.js';
import apiExportsRoutes from './routes/api-exports.js';
import apiRetentionRoutes from './routes/api-retention.js';
import apiUsersRoutes from './routes/api-users.js';
import adminUsersRoutes from './routes/admin-users.js';
import accountRoutes from './routes/account.js';
import apiPhonesRoutes from './routes/api-phones.js';
import adminPhonesRoutes from './routes/admin-phones.js';
import provisionRoutes from './routes/provision.js';
import reportRenderer from './plugins/report-renderer.js';
import reportsRoutes from './routes/reports.js';
import apiReportsRoutes from './routes/api-reports.js';
import adminReportSchedulesRoutes from './routes/admin-report-schedules.js';
import apiReportSchedulesRoutes from './routes/api-report-schedules.js';
import apiReportsKpisRoutes from './routes/api-reports-kpis.js';

/**
 * Pages and the JSON API. The order matters: hooks run in the order they are
 * added (session, then the signed-in user, then anything that reads either),
 * the error handler must exist before routes capture it, and OpenAPI must be
 * listening before the routes it documents are added.
 */
async function web(app: FastifyInstance): Promise<void> {
  await app.register(security);
  await app.register(auth);
  await app.register(i18n);
  await app.register(views);
  await app.register(errors);
  await app.register(sse);
  await app.register(openapi);
  await app.register(reportRenderer);

  await app.register(healthzRoutes);
  await app.register(rootRoutes);
  await app.register(langRoutes);
  await app.register(staticRoutes);
  await app.register(authRoutes);
  await app.register(adminAgentsRoutes);
  await app.register(apiAgentsRoutes);
  await app.register(adminRoutingRoutes);
  await app.register(apiIvrRoutes);
  await app.register(apiQueuesRoutes);
  await app.register(apiCallbacksRoutes);
  await app.register(deskRoutes);
  await app.register(apiDeskRoutes);
  await app.register(apiDispositionsRoutes);
  await app.register(adminDispositionsRoutes);
  await app.register(apiCustomersRoutes);
  await app.register(customersRoutes);
  await app.register(apiAuditRoutes);
  await app.register(apiMonitorRoutes);
  await app.register(apiAgentsForceRoutes);
  await app.register(adminMonitorRoutes);
  await app.register(wallboardRoutes);
  await app.register(apiWallboardRoutes);
  await app.register(adminAlertsRoutes);
  await app.register(apiPauseReasonsRoutes);
  await app.register(adminPauseReasonsRoutes);
  await app.register(apiCallsRoutes);
  await app.register(apiSipBansRoutes);
  await app.register(adminSipBansRoutes);
  await app.register(apiDialRulesRoutes);
  await app.register(adminDialRulesRoutes);
  await app.register(apiExportsRoutes);
  await app.register(apiRetentionRoutes);
  await app.register(apiUsersRoutes);
  await app.register(adminUsersRoutes);
  await app.register(accountRoutes);
  await app.register(apiPhonesRoutes);
  await app.register(adminPhonesRoutes);
  await app.register(provisionRoutes);
  await app.register(reportsRoutes);
  await app.register(apiReportsRoutes);
  await app.register(adminReportSchedulesRoutes);
  await app.register(apiReportSchedulesRoutes);
  await app.register(apiReportsKpisRoutes);
}

export default fp(web, { name: 'web', dependencies: ['core', 'live', 'users', 'agents', 'acd-queues', 'ivr', 'acd', 'desk', 'crm', 'audit', 'supervision', 'wallboard', 'alerts', 'sipguard', 'queue-log', 'phones', 'reports'] });
