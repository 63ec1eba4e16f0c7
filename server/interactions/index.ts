import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { InteractionRepository } from './interaction-repository.js';
import { InteractionService } from './interaction-service.js';

export { InteractionService, type CallEventType, type CallEventNotice } from './interaction-service.js';
export type { CallEventRow } from './interaction-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    interactions: InteractionService;
  }
}

async function interactions(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'interactions' });
  const service = new InteractionService({ repo: new InteractionRepository(app.db, app.fieldCipher), redis: app.redis, outbox: app.outbox, bus: app.live, log });
  app.decorate('interactions', service);
  // Writes still queued reach MariaDB (or the Redis outbox) before the connections close.
  app.addHook('onClose', () => service.drain());
}

export default fp(interactions, { name: 'interactions', dependencies: ['core', 'live'] });
