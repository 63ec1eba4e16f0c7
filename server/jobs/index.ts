import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import cron from 'node-cron';
import { keys } from '../live/keys.js';

const SYSTEM = { userId: null, username: 'system' };

/**
 * Background work. Each run takes a short Redis lock, so with several server
 * instances a job runs once per tick, not once per instance.
 */
async function jobs(app: FastifyInstance): Promise<void> {
  if (!app.config.jobs.enabled) return;
  const log = app.log.child({ room: 'jobs' });

  const locked = async (name: string, ttlSec: number, fn: () => Promise<unknown>) => {
    const got = await app.redis.set(keys.jobLock(name), app.config.instanceName, 'EX', ttlSec, 'NX').catch(() => null);
    if (!got) return;
    try {
      await fn();
    } catch (err) {
      log.warn({ job: name, err: (err as Error).message }, 'job failed, will retry next run');
    } finally {
      await app.redis.del(keys.jobLock(name)).catch(() => undefined);
    }
  };

  const reconcileCdrs = () => locked('cdr-journal', 300, () => app.cdrJournal.run());
  const flushOutbox = () => locked('outbox', 60, () => app.outbox.flush());
  // Late rows (an outbox flush after an outage) marked summary buckets: re-fold them.
  const refreshKpis = () => locked('kpi-summary', 300, () => app.kpis.refresh());

  // Each schedule has its own send time; this tick only looks for the ones that are due.
  const sendReports = () => locked('report-schedules', 900, () => app.reportRunner.runDue());

  // SIP bans end by themselves when their time is up (server/sipguard).
  const expireBans = () => locked('sip-ban-expiry', 60, () => app.sipGuard.expire());

  const task = cron.schedule(app.config.jobs.cdrReconcileCron, () => void reconcileCdrs());
  // The retention run holds its own renewed lock (a night's run may outlast any fixed TTL).
  const retention = cron.schedule(app.config.jobs.retentionCron, () => void app.retention.run(SYSTEM)
    .catch((err: Error) => log.warn({ job: 'recording-retention', err: err.message }, 'job failed, will retry next run')));
  const reportTask = cron.schedule(app.config.reports.scheduleCheckCron, () => void sendReports());
  const outboxTimer = setInterval(() => void flushOutbox(), 5000);
  outboxTimer.unref();
  const kpiTimer = setInterval(() => void refreshKpis(), app.config.reports.refreshEverySec * 1000);
  kpiTimer.unref();
  const banTimer = setInterval(() => void expireBans(), 30_000);
  banTimer.unref();
  app.addHook('onReady', async () => {
    void reconcileCdrs();
    void flushOutbox();
  });
  app.addHook('onClose', async () => {
    await task.stop();
    await retention.stop();
    await reportTask.stop();
    clearInterval(outboxTimer);
    clearInterval(kpiTimer);
    clearInterval(banTimer);
  });
}

export default fp(jobs, { name: 'jobs', dependencies: ['core', 'cdr', 'interactions', 'recordings-retention', 'reports', 'sipguard', 'web'] });
