import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { RedisLease } from '../core/lease.js';
import { keys } from '../live/keys.js';
import { AlertRepository } from './alert-repository.js';
import { AlertService } from './alert-service.js';
import { AlertNotifier } from './notifier.js';
import { AlertEvaluator } from './alert-evaluator.js';

export { AlertService } from './alert-service.js';
export { AlertRule, AlertRuleBody, AlertView, ALERT_KINDS, type AlertNotice, type AlertKind } from './schemas.js';

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertService;
  }
}

async function alerts(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'alerts' });
  const { alerts: settings, smtp } = app.config;
  const notifier = new AlertNotifier({ ...settings, smtp }, log);
  const service = new AlertService({
    repo: new AlertRepository(app.db), bus: app.live, notifier, queueNames: () => app.queues.names(), disk: () => app.recordings.diskSpace(), log,
  });
  app.decorate('alerts', service);
  if (!settings.enabled) return;
  const everyMs = settings.evaluateEverySec * 1000;
  const lease = new RedisLease({ redis: app.redis, key: keys.alertsLease(), ttlMs: Math.max(3000, everyMs * 3), log });
  const evaluator = new AlertEvaluator({ alerts: service, wallboard: app.wallboard, lease, everyMs, log });
  app.addHook('onReady', async () => evaluator.start());
  app.addHook('onClose', async () => {
    await evaluator.stop();
    notifier.close();
  });
}

export default fp(alerts, { name: 'alerts', dependencies: ['core', 'live', 'acd-queues', 'wallboard', 'recordings'] });
