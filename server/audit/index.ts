import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AuditRepository } from './audit-repository.js';
import { AuditService } from './audit-service.js';
import { runWithActor } from './actor-context.js';

export { AuditService } from './audit-service.js';
export type { AuditActor, AuditRecord } from './schemas.js';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService;
  }
}

async function audit(app: FastifyInstance): Promise<void> {
  app.decorate('audit', new AuditService({ repo: new AuditRepository(app.db), outbox: app.outbox, log: app.log.child({ room: 'audit' }) }));
  // Each request runs in its own actor context; the user is read when a change is recorded,
  // after the web room's sign-in hook (a later onRequest hook) has found them.
  app.addHook('onRequest', (request, _reply, done) => {
    runWithActor({
      actor: () => (request.user ? { userId: request.user.id, username: request.user.username } : undefined),
      ip: () => request.ip,
    }, done);
  });
}

export default fp(audit, { name: 'audit', dependencies: ['core', 'live'] });
