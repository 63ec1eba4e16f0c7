import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import security from './plugins/security.js';
import auth from './plugins/auth.js';
import i18n from './plugins/i18n.js';
import views from './plugins/views.js';
import errors from './plugins/errors.js';
import openapi from './plugins/openapi.js';
import sse from './plugins/sse.js';
import numberPrivacy from './plugins/number-privacy.js';
import healthzRoutes from './routes/healthz.js';
import rootRoutes from './routes/root.js';
import langRoutes from './routes/lang.js';
import staticRoutes from './routes/static.js';
import authRoutes from './routes/auth.js';
import adminAgentsRoutes from './routes/admin-agents.js';
import apiAgentsRoutes from './routes/api-agents.js';
import apiAgentsSetupRoutes from './routes/api-agents-setup.js';
import adminAgentsSetupRoutes from './routes/admin-agents-setup.js';
import adminRoutingRoutes from './routes/admin-routing.js';
import apiIvrRoutes from './routes/api-ivr.js';
import apiDidRoutes from './routes/api-dids.js';
import apiScheduleRoutes from './routes/api-schedules.js';
import adminNumbersRoutes from './routes/admin-numbers.js';
import adminHoursRoutes from './routes/admin-hours.js';
import apiQueuesRoutes from './routes/api-queues.js';
import apiCallbacksRoutes from './routes/api-callbacks.js';
import deskRoutes from './routes/desk.js';
import apiDeskRoutes from './routes/api-desk.js';
import apiDispositionsRoutes from './routes/api-dispositions.js';
import adminDispositionsRoutes from './routes/admin-dispositions.js';
import apiCustomersRoutes from './routes/api-customers.js';
import customersRoutes from './routes/customers.js';
import apiCustomerPrivacyRoutes from './routes/api-customer-privacy.js';
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
import apiTrunksRoutes from './routes/api-trunks.js';
import adminTrunksRoutes from './routes/admin-trunks.js';
import reportRenderer from './plugins/report-renderer.js';
import reportsRoutes from './routes/reports.js';
import apiReportsRoutes from './routes/api-reports.js';
import adminReportSchedulesRoutes from './routes/admin-report-schedules.js';
import apiReportSchedulesRoutes from './routes/api-report-schedules.js';
import apiReportsKpisRoutes from './routes/api-reports-kpis.js';
import interactionsRoutes from './routes/interactions.js';
import apiInteractionsRoutes from './routes/api-interactions.js';
import recordingRoutes from './routes/recordings.js';

/** Page and API routes, registered in this order (after the plugins above). */
const ROUTES = [
  healthzRoutes,
  rootRoutes,
  langRoutes,
  staticRoutes,
  authRoutes,
  adminAgentsRoutes,
  apiAgentsRoutes,
  apiAgentsSetupRoutes,
  adminAgentsSetupRoutes,
  adminRoutingRoutes,
  apiIvrRoutes,
  apiDidRoutes,
  apiScheduleRoutes,
  adminNumbersRoutes,
  adminHoursRoutes,
  apiQueuesRoutes,
  apiCallbacksRoutes,
  deskRoutes,
  apiDeskRoutes,
  apiDispositionsRoutes,
  adminDispositionsRoutes,
  apiCustomersRoutes,
  customersRoutes,
  apiCustomerPrivacyRoutes,
  apiAuditRoutes,
  apiMonitorRoutes,
  apiAgentsForceRoutes,
  adminMonitorRoutes,
  wallboardRoutes,
  apiWallboardRoutes,
  adminAlertsRoutes,
  apiPauseReasonsRoutes,
  adminPauseReasonsRoutes,
  apiCallsRoutes,
  apiSipBansRoutes,
  adminSipBansRoutes,
  apiDialRulesRoutes,
  adminDialRulesRoutes,
  apiExportsRoutes,
  apiRetentionRoutes,
  apiUsersRoutes,
  adminUsersRoutes,
  accountRoutes,
  apiPhonesRoutes,
  adminPhonesRoutes,
  provisionRoutes,
  apiTrunksRoutes,
  adminTrunksRoutes,
  reportsRoutes,
  apiReportsRoutes,
  adminReportSchedulesRoutes,
  apiReportSchedulesRoutes,
  apiReportsKpisRoutes,
  interactionsRoutes,
  apiInteractionsRoutes,
  recordingRoutes,
];

/**
 * Pages and the JSON API. The order matters: hooks run in the order they are
 * added (session, then the signed-in user, then anything that reads either),
 * the error handler must exist before routes capture it, and OpenAPI must be
 * listening before the routes it documents are added.
 */
async function web(app: FastifyInstance): Promise<void> {
  await app.register(security);
  await app.register(auth);
  await app.register(numberPrivacy);
  await app.register(i18n);
  await app.register(views);
  await app.register(errors);
  await app.register(sse);
  await app.register(openapi);
  await app.register(reportRenderer);
  for (const routes of ROUTES) await app.register(routes);
}

export default fp(web, { name: 'web', dependencies: ['core', 'live', 'users', 'agents', 'acd-queues', 'ivr', 'acd', 'desk', 'crm', 'audit', 'supervision', 'wallboard', 'alerts', 'sipguard', 'queue-log', 'phones', 'reports', 'records'] });
