import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { QueueLogExport } from './queue-log-export.js';
import { QueueLogRepository } from './queue-log-repository.js';

export { exportRange, MAX_RANGE_DAYS, QueueLogExport } from './queue-log-export.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Call events and agent states as Asterisk queue_log lines (reports room). */
    queueLog: QueueLogExport;
  }
}

async function queueLog(app: FastifyInstance): Promise<void> {
  app.decorate('queueLog', new QueueLogExport({ repo: new QueueLogRepository(app.db), log: app.log.child({ room: 'reports' }) }));
}

export default fp(queueLog, { name: 'queue-log', dependencies: ['core'] });
