import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AuditRepository } from './audit-repository.js';
import { AuditService } from './audit-service.js';

export { AuditService } from './audit-service.js';
export type { AuditActor, AuditRecord } from './schemas.js';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService;
  }
}

async function audit(app: FastifyInstance): Promise<void> {
  app.decorate('audit', new AuditService({ repo: new AuditRepository(app.db), outbox: app.outbox, log: app.log.child({ room: 'audit' }) }));
}

export default fp(audit, { name: 'audit', dependencies: ['core', 'live'] });
