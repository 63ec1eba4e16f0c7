import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { JobLock } from '../core/job-lock.js';
import { keys } from '../live/keys.js';
import { RecordingRepository } from './recording-repository.js';
import { RetentionService } from './retention-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The recording retention run (nightly from jobs, or now from the admin API). */
    retention: RetentionService;
  }
}

// Its own plugin, registered after the queues (whose settings hold the days) and the
// audit log (where each run is written); the recordings plugin comes before both.
async function retention(app: FastifyInstance): Promise<void> {
  const { config } = app;
  app.decorate('retention', new RetentionService({
    repo: new RecordingRepository(app.db),
    policies: async () => (await app.queues.list()).flatMap((q) => (q.retentionDays === null ? [] : [{ queue: q.name, days: q.retentionDays }])),
    hostPath: (p) => asteriskHostPath(config, p),
    hostRoot: asteriskHostPath(config, config.asterisk.recordingsDir),
    audit: app.audit,
    lock: new JobLock({ redis: app.redis, key: keys.jobLock('recording-retention'), ttlMs: 120_000 }),
    log: app.log.child({ room: 'recordings' }),
    batchSize: config.jobs.retentionBatchSize,
  }));
}

export default fp(retention, { name: 'recordings-retention', dependencies: ['core', 'live', 'recordings', 'acd-queues', 'audit'] });
