import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { InteractionRepository } from './interaction-repository.js';
import { InteractionService } from './interaction-service.js';

export { InteractionService, type CallEventType } from './interaction-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    interactions: InteractionService;
  }
}

async function interactions(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'interactions' });
  app.decorate('interactions', new InteractionService({ repo: new InteractionRepository(app.db), redis: app.redis, outbox: app.outbox, log }));
}

export default fp(interactions, { name: 'interactions', dependencies: ['core', 'live'] });
