import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { Config } from './core/config.js';
import { createLogger, type Logger } from './core/logger.js';
import { tlsOptions } from './core/tls.js';
import core from './core/index.js';
import live, { keys } from './live/index.js';
import telephony from './telephony/index.js';
import agents from './agents/index.js';
import agentsPhone from './agents/phone-plugin.js';
import interactions from './interactions/index.js';
import cdr from './cdr/index.js';
import recordings from './recordings/index.js';
import recordingsRetention from './recordings/retention-plugin.js';
import acd from './acd/index.js';
import acdQueues from './acd/queues-plugin.js';
import ivr from './ivr/index.js';
import desk from './desk/index.js';
import wallboard from './wallboard/index.js';
import alerts from './alerts/index.js';
import reports from './reports/index.js';
import users from './users/index.js';
import crm from './crm/index.js';
import audit from './audit/index.js';
import sipguard from './sipguard/index.js';
import adminAudit from './audit/admin-audit-plugin.js';
import supervision from './supervision/index.js';
import queueLog from './reports/queue-log/index.js';
import phones from './phones/index.js';
import trunks from './trunks/index.js';
import records from './records/index.js';
import privacy from './privacy/index.js';
import web from './web/index.js';
import jobs from './jobs/index.js';

export interface BuildOptions {
  logger?: Logger;
  /** Tests of the web layer alone may skip the Asterisk connections. */
  telephony?: boolean;
  /** Sees every route as it is added (the role-matrix test lists them all this way). */
  onRoute?: (route: RouteOptions) => void;
}

/** The composition root: every room is registered here, in dependency order. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const loggerInstance = opts.logger ?? createLogger(config.log.level);
  const https = tlsOptions(config);
  // With TLS the instance is an HTTPS server; every route and hook is the same either way.
  const app = Fastify({
    ...(https ? { https } : {}),
    loggerInstance,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: false,
    disableRequestLogging: true,
  });
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);

  await app.register(core, { config });
  await app.register(live);
  await app.register(telephony, { enabled: opts.telephony ?? true, leaseKey: keys.ariLease(config.ari.app) });
  await app.register(agents);
  await app.register(interactions);
  await app.register(cdr);
  await app.register(recordings);
  await app.register(acdQueues);
  await app.register(ivr);
  await app.register(agentsPhone);
  await app.register(acd);
  await app.register(crm);
  await app.register(desk);
  await app.register(wallboard);
  await app.register(alerts);
  await app.register(reports);
  await app.register(audit);
  await app.register(recordingsRetention);
  await app.register(users);
  await app.register(supervision);
  await app.register(sipguard);
  await app.register(privacy);
  await app.register(queueLog);
  await app.register(phones);
  await app.register(trunks);
  // After every room whose admin services it wraps.
  await app.register(adminAudit);
  await app.register(records);
  await app.register(web);
  await app.register(jobs);
  return app;
}
