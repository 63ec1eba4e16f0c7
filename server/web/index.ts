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
import interactionsRoutes from './routes/interactions.js';
import apiInteractionsRoutes from './routes/api-interactions.js';
import recordingRoutes from './routes/recordings.js';

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
  await app.register(interactionsRoutes);
  await app.register(apiInteractionsRoutes);
  await app.register(recordingRoutes);
}

export default fp(web, { name: 'web', dependencies: ['core', 'live', 'users', 'agents', 'acd-queues', 'ivr', 'acd', 'desk', 'crm', 'audit', 'supervision', 'wallboard', 'alerts', 'records'] });
